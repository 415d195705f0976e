"""The seal of a closed meeting is a hash chain: a meeting sealed by an earlier release must
still verify. These digests were computed before the tavolo's read models were typed
(issue 17); the canonical serialisation they hash must never change."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from models.meetings import AgendaItem, AgendaOutcome, Meeting
from models.services.tavolo.seal import item_digest, meeting_seal

GENESIS = "0" * 64


def _id(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


def _meeting() -> Meeting:
    return Meeting(
        id=_id(1),
        number=7,
        held_on=date(2026, 11, 26),
        place="Prefettura, sala «Verdi»",
        every_weeks=2,
        series_id=_id(1),
        state="chiusa",
        created_by_id=_id(2),
        participants=f"{_id(2)},{_id(3)}",
        closed_at=datetime(2026, 11, 26, 12, 30),
    )


def _item() -> AgendaItem:
    return AgendaItem(
        id=_id(10),
        meeting_id=_id(1),
        section="Oltre il termine — Sportello Unico",
        reason="overdue",
        dossier_id=_id(20),
        topic="",
        detail="fermo da 120 giorni, è già oltre",
        proposer_id=None,
        position=3,
        status="trattato",
        carried_from_id=_id(11),
        action_id=None,
    )


def _outcomes() -> list[AgendaOutcome]:
    action = AgendaOutcome(
        id=_id(31),
        dossier_id=_id(20),
        item_id=_id(10),
        position=1,
        kind="azione",
        text="Sollecitare il parere",
        owner_office_id=_id(40),
        owner_id=None,
        due_on=date(2026, 12, 10),
        done_on=date(2026, 12, 5),  # follow-up: not sealed
        flag_number=4,
        moved_to=None,
        recorded_by_id=_id(2),
    )
    decision = AgendaOutcome(
        id=_id(30),
        dossier_id=_id(20),
        item_id=_id(10),
        position=0,
        kind="decisione",
        text="Si procede",
        owner_office_id=None,
        owner_id=None,
        due_on=None,
        done_on=None,
        flag_number=None,
        moved_to="in_istruttoria",
        recorded_by_id=_id(2),
    )
    return [action, decision]


ITEM_DIGEST = "147f957845e512323ae5144151224d9c56c894fddad93e467ba359c4030e1eb0"
MEETING_SEAL = "1184c6e76db5d8e70c5f892bc9811a1df0d733f2efefa28ed7c9587656431f8c"


def test_an_item_sealed_before_has_the_same_digest() -> None:
    assert item_digest(_item(), _outcomes()) == ITEM_DIGEST


def test_a_meeting_sealed_before_has_the_same_seal() -> None:
    items = f"{_id(10)}:{ITEM_DIGEST}"
    assert meeting_seal(_meeting(), GENESIS, items) == MEETING_SEAL


def test_the_completion_date_of_an_action_is_not_sealed() -> None:
    outcomes = _outcomes()
    outcomes[0].done_on = None
    assert item_digest(_item(), outcomes) == ITEM_DIGEST
