"""Protocol numbers stay gapless and unique when clerks register at the same time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from models import audit
from models.dossiers import Dossier
from models.errors import ValidationError
from models.uow import Database
from tests.factories import register


def test_concurrent_registrations_get_consecutive_numbers(db: Database) -> None:
    def one(index: int) -> str:
        if index % 5 == 4:  # every fifth registration is refused after taking a number
            with pytest.raises(ValidationError):
                register(db, surname=f"Popescu{index}", nationality="ZZZ")
            return ""
        return register(db, surname=f"Popescu{index}").reference

    with ThreadPoolExecutor(max_workers=6) as pool:
        references = [r for r in pool.map(one, range(40)) if r]
    with db.sessions() as session:
        numbers = sorted(session.scalars(select(Dossier.protocol_number)))
        assert audit.verify(session).ok
    assert numbers == list(range(1, 33))
    assert len(set(references)) == 32


def test_a_registration_rolled_back_gives_its_number_back(db: Database) -> None:
    from models.services.registration import register_dossier
    from tests.factories import WORKER

    first = register(db).reference
    with db.unit_of_work("rossi", write=True) as uow:
        taken = register_dossier(uow, "NO_LAVORO", {**WORKER, "filed_on": "2026-09-01"})
        assert taken.reference.endswith("/0000002")
        # leaving without commit: the whole unit of work is rolled back
    again = register(db).reference
    assert (first, again) == ("LO-SUI/2026/0000001", "LO-SUI/2026/0000002")
