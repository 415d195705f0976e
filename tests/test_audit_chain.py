"""What an auditor checks on the embedded database: every column that matters is under the
hash (the restricted mark included), a log cut short fails against the digest kept on
paper, and entries hashed with the earlier formula still verify."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import delete, func, insert, select, update

from desktop.cli.main import main
from models import audit
from models.registry import AuditEntry
from models.uow import Database
from tests.factories import register

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def _verify(db: Database, against: str | None = None) -> audit.AuditCheck:
    with db.sessions() as session:
        return audit.verify(session, against)


def _entries(db: Database) -> list[AuditEntry]:
    with db.sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def _cli(db: Database, home: Path, *argv: str) -> int:
    return main(["--home", str(home), "--db", str(db.engine.url.database), *argv])


def test_entries_about_a_restricted_dossier_are_marked_when_written(db: Database) -> None:
    hidden = str(register(db, "neri", "ART18").dossier_id)
    visible = str(register(db, "rossi").dossier_id)
    marks = {(e.row_id, e.table_name): e.restricted for e in _entries(db)}
    assert marks[(hidden, "dossiers")] is True
    assert marks[(visible, "dossiers")] is False
    events = [e for e in _entries(db) if e.table_name == "dossier_events"]
    assert {e.restricted for e in events if hidden in e.changes} == {True}
    assert {e.restricted for e in events if visible in e.changes} == {False}
    assert {e.hash_version for e in _entries(db)} == {audit.HASH_VERSION}
    assert _verify(db).ok


@pytest.mark.parametrize(
    "who, type_code, flipped_to", [("neri", "ART18", False), ("rossi", "NO_LAVORO", True)]
)
def test_flipping_the_restricted_mark_breaks_the_chain(
    db: Database, who: str, type_code: str, flipped_to: bool
) -> None:
    dossier = str(register(db, who, type_code).dossier_id)
    register(db, "rossi")  # later entries, so the flipped one is not the last
    with db.sessions() as session:
        seq = session.scalar(
            select(func.min(AuditEntry.seq)).where(
                AuditEntry.row_id == dossier, AuditEntry.table_name == "dossiers"
            )
        )
        session.execute(
            update(AuditEntry).where(AuditEntry.seq == seq).values(restricted=flipped_to)
        )
        session.commit()
    check = _verify(db)
    assert f"voce {seq}: contenuto modificato (hash non corrisponde)" in check.problems


def test_a_truncated_log_fails_against_the_printed_digest(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register(db, "rossi")
    home = tmp_path / "home"
    assert _cli(db, home, "--user", "admin", "audit", "digest") == 0
    printed = capsys.readouterr().out
    kept = tmp_path / "impronta.txt"
    kept.write_text(printed, encoding="utf-8")
    digest = _verify(db).last_hash
    register(db, "rossi")
    assert _cli(db, home, "audit", "verify", "--against", str(kept)) == 0
    out = capsys.readouterr().out
    assert "impronta trovata" in out
    # Typed by hand from the sheet, in its groups of four.
    spaced = " ".join(digest[i : i + 4] for i in range(0, 64, 4)).upper()
    assert _cli(db, home, "audit", "verify", "--against", spaced) == 0
    capsys.readouterr()
    with db.sessions() as session:
        anchor = session.scalar(select(AuditEntry.seq).where(AuditEntry.hash == digest))
        session.execute(delete(AuditEntry).where(AuditEntry.seq >= anchor))  # the tail, cut
        session.commit()
    assert _verify(db).ok  # on its own, a shorter chain still links up
    assert _cli(db, home, "audit", "verify", "--against", str(kept)) == 1
    err = capsys.readouterr().err
    assert "non è più nella catena" in err and "registro NON integro" in err


def test_an_emptied_log_is_never_reported_intact(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register(db, "rossi")
    digest = _verify(db).last_hash
    with db.sessions() as session:
        session.execute(delete(AuditEntry))
        session.commit()
    home = tmp_path / "home"
    assert _cli(db, home, "audit", "verify") == 1
    assert "il registro è vuoto ma l'archivio contiene pratiche" in capsys.readouterr().err
    assert _cli(db, home, "audit", "verify", "--against", digest) == 1
    assert "non è più nella catena" in capsys.readouterr().err


def test_a_malformed_digest_is_refused_in_one_line(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(db, tmp_path / "home", "audit", "verify", "--against", "abc123") == 1
    assert capsys.readouterr().err.strip() == (
        "errore: impronta non valida: servono le 64 cifre esadecimali stampate"
    )


def _legacy_entry(prev: str, seq_hint: int, restricted: bool) -> dict[str, object]:
    at = datetime(2026, 11, 30, 9, 0, seq_hint, tzinfo=UTC)
    changes = json.dumps({"note": [None, f"voce {seq_hint}"]})
    fields = (prev, at, "rossi", "dossiers", f"id-{seq_hint}", "update", changes)
    return {
        "at": at,
        "actor": "rossi",
        "table_name": "dossiers",
        "row_id": f"id-{seq_hint}",
        "action": "update",
        "changes": changes,
        "prev_hash": prev,
        "hash": audit.entry_hash(*fields),
        "restricted": restricted,
        "hash_version": audit.LEGACY_VERSION,
    }


def test_entries_of_the_earlier_formula_still_verify_and_stay_before_the_switch(
    db: Database,
) -> None:
    with db.sessions() as session:
        session.execute(delete(AuditEntry))  # a log written before migration 0011
        prev = audit.GENESIS
        for n in range(3):
            values = _legacy_entry(prev, n, restricted=n == 1)  # marked later by server init
            session.execute(insert(AuditEntry).values(**values))
            prev = str(values["hash"])
        session.commit()
    register(db, "rossi")  # written now: the current formula, chained onto the old ones
    check = _verify(db)
    assert check.ok, check.problems
    versions = [e.hash_version for e in _entries(db)]
    assert versions[:3] == [1, 1, 1] and set(versions[3:]) == {audit.HASH_VERSION}
    last = _entries(db)[-1]
    with db.sessions() as session:
        # The newest entry rewritten with the old formula (which ignores the mark).
        fields = (last.prev_hash, last.at, last.actor, last.table_name, last.row_id)
        session.execute(
            update(AuditEntry)
            .where(AuditEntry.seq == last.seq)
            .values(
                hash_version=1,
                restricted=True,
                hash=audit.entry_hash(*fields, last.action, last.changes),
            )
        )
        session.commit()
    assert any("formula precedente" in p for p in _verify(db).problems)


def test_the_digest_page_says_how_to_check_it(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register(db, "rossi")
    output = tmp_path / "impronta.pdf"
    assert _cli(db, tmp_path / "home", "--user", "admin", "audit", "digest", "-o", str(output)) == 0
    capsys.readouterr()
    text = " ".join(PdfReader(output).pages[0].extract_text().split())
    assert "raccordo audit verify --against" in text
    assert "non è più nella catena" in text


@pytest.mark.parametrize("action", ["verify", "digest"])
def test_a_connected_workstation_is_sent_to_the_server_for_the_log(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], action: str
) -> None:
    """A replica holds no audit log (the server writes it): an empty local one would
    otherwise look like a truncated log, or print a meaningless digest."""
    home = tmp_path / "postazione"
    home.mkdir()
    settings = "[server]\nurl = postgresql://db.example:5432/raccordo\nuser = rossi\n"
    (home / "raccordo.ini").write_text(settings, "utf-8")
    assert main(["--home", str(home), "audit", action]) == 1
    assert capsys.readouterr().err == (
        "errore: il registro delle modifiche è sul server, non nella copia locale: "
        f"raccordo audit {action} --db postgresql://UTENTE@HOST/DB\n"
    )
