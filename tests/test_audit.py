"""The audit log records every change and detects any edited or removed entry."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import delete, select, update

from models import audit
from models.errors import ValidationError
from models.registry import AuditEntry
from models.services.registration import update_dossier
from models.services.workflow import advance
from models.uow import Database
from tests.factories import register


def entries(db: Database) -> list[AuditEntry]:
    with db.sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def test_every_change_is_recorded_with_who_and_before_after(db: Database) -> None:
    ref = register(db).reference
    with db.unit_of_work("rossi", write=True) as uow:
        update_dossier(uow, ref, {"given_names": "Ștefan Ionuț"})
        advance(uow, ref, "in_istruttoria", date(2026, 9, 2))
        uow.commit()
    dossier_rows = [e for e in entries(db) if e.table_name == "dossiers"]
    assert dossier_rows[0].action == "insert" and dossier_rows[0].actor == "rossi"
    changes = [json.loads(e.changes) for e in dossier_rows[1:]]
    assert {"given_names": ["Ștefan", "Ștefan Ionuț"]} in [
        {k: v for k, v in c.items() if k == "given_names"} for c in changes
    ]
    assert any(c.get("state") == ["presentata", "in_istruttoria"] for c in changes)


def test_verify_detects_an_edited_entry(db: Database) -> None:
    register(db)
    with db.sessions() as session:
        assert audit.verify(session).ok
        middle = session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()[3]
        session.execute(
            update(AuditEntry).where(AuditEntry.seq == middle).values(actor="qualcun_altro")
        )
        session.commit()
        check = audit.verify(session)
    assert not check.ok
    assert any(f"voce {middle}" in p and "modificato" in p for p in check.problems)


def test_verify_detects_a_removed_entry(db: Database) -> None:
    register(db)
    register(db)
    with db.sessions() as session:
        seqs = session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
        session.execute(delete(AuditEntry).where(AuditEntry.seq == seqs[5]))
        session.commit()
        check = audit.verify(session)
    assert not check.ok
    assert any("interrotta" in p for p in check.problems)


def test_a_refused_operation_leaves_no_audit_entry(db: Database) -> None:
    register(db)
    before = len(entries(db))
    with pytest.raises(ValidationError):
        register(db, nationality="XYZ")
    assert len(entries(db)) == before
