"""Row ids in the order they are made (``models.ids``), so that a big import adds to the
end of the indexes on them (issue 13, item 7)."""

from __future__ import annotations

import threading
import time
import uuid

from models.ids import is_provisionally, new_id, provisional_reference


def test_ids_are_version_7_uuids_in_the_order_they_are_made() -> None:
    before = time.time_ns() // 1_000_000
    made = [new_id() for _ in range(20_000)]
    after = time.time_ns() // 1_000_000
    assert made == sorted(made) and len(set(made)) == len(made)
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in made)
    # Their text too (the form SQLite stores and the audit log quotes).
    assert [i.hex for i in made] == sorted(i.hex for i in made)
    assert [str(i) for i in made] == sorted(str(i) for i in made)
    assert before <= made[0].int >> 80 <= made[-1].int >> 80 <= after


def test_threads_never_make_the_same_id() -> None:
    made: list[list[uuid.UUID]] = [[] for _ in range(4)]

    def make(into: list[uuid.UUID]) -> None:
        into.extend(new_id() for _ in range(5_000))

    threads = [threading.Thread(target=make, args=(into,)) for into in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [i for into in made for i in into]
    assert len(set(every)) == 20_000
    assert all(into == sorted(into) for into in made)


def test_a_list_made_in_one_minute_keeps_its_provisional_references_apart() -> None:
    """A workstation connected to a server calls a new dossier PROVV-… until the server
    numbers it; the first digits of time-ordered ids are the minute, the last random."""
    made = [new_id() for _ in range(1_000)]
    references = {provisional_reference(i) for i in made}
    assert len({i.hex[:8] for i in made}) < 3  # what the reference used to take
    assert len(references) > 995
    assert all(is_provisionally(i, provisional_reference(i)[6:]) for i in made)
    assert not is_provisionally(made[0], provisional_reference(made[1])[6:])
