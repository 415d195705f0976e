"""The server writes the audit log itself; the chain verifies, and the day's digest prints."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from models import audit
from models.db import make_engine
from tests.server_support import Server, advance_as, register_as

pytestmark = pytest.mark.postgres


def _entries(server: Server, row_id: str) -> list[tuple[str, str, str, datetime]]:
    with server.admin() as connection:
        return connection.execute(
            "SELECT actor, action, changes, at FROM audit_log WHERE row_id = %s ORDER BY seq",
            (row_id,),
        ).fetchall()


def test_the_server_writes_the_audit_with_its_clock_and_the_login_role(server: Server) -> None:
    dossier = register_as(server, "rossi")
    # Through the service layer on the administrator's connection: the server's trigger
    # wrote the entry (its actor is the login role); the workstation hook wrote nothing.
    written = [(actor, action) for actor, action, _, _ in _entries(server, dossier)]
    assert written[0] == (server.engine.url.username, "insert")
    assert {actor for actor, _ in written} == {server.engine.url.username}
    with server.connect("bianchi") as connection:
        connection.execute("UPDATE dossiers SET cui = 'CUI777' WHERE id = %s", (dossier,))
        connection.commit()
    actor, action, changes, at = _entries(server, dossier)[-1]
    assert (actor, action) == (server.people["bianchi"], "update")
    assert json.loads(changes) == {"cui": [None, "CUI777"]}
    assert abs(datetime.now(UTC) - at) < timedelta(minutes=1)


def test_the_chain_verifies_and_an_edited_entry_is_found(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    dossier = register_as(server, "rossi")
    advance_as(server, "rossi", dossier, "in_istruttoria")
    assert server.cli("--db", server.admin_url, "audit", "verify") == 0
    assert "registro integro" in capsys.readouterr().out
    with server.admin() as connection:
        connection.execute("ALTER TABLE audit_log DISABLE TRIGGER raccordo_append_only")
        seq = connection.execute(
            "UPDATE audit_log SET changes = '{}' WHERE seq = (SELECT max(seq) - 1 FROM audit_log)"
            " RETURNING seq"
        ).fetchone()[0]  # type: ignore[index]
        connection.execute("ALTER TABLE audit_log ENABLE TRIGGER raccordo_append_only")
        connection.commit()
    assert server.cli("--db", server.admin_url, "audit", "verify") == 1
    assert f"voce {seq}: contenuto modificato" in capsys.readouterr().err


def test_a_user_without_clearance_verifies_the_whole_chain(server: Server) -> None:
    register_as(server, "neri", "ART18")
    register_as(server, "rossi")
    engine = make_engine(server.url_as(server.people["rossi"]))
    with Session(engine) as session:
        check = audit.verify(session)
    with Session(server.engine) as session:
        full = audit.verify(session)
    engine.dispose()
    assert check.ok and full.ok
    assert check.unreadable >= 1 and full.unreadable == 0
    assert (check.entries, check.last_hash) == (full.entries, full.last_hash)


def test_the_days_digest_is_the_last_hash_and_prints_on_one_page(
    server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    register_as(server, "rossi")
    with Session(server.engine) as session:
        last = audit.verify(session).last_hash
    today = datetime.now(audit.DIGEST_ZONE).date()
    output = tmp_path / "impronta.pdf"
    argv = ["--db", server.admin_url, "audit", "digest", "--day", today.isoformat()]
    assert server.cli(*argv, "-o", str(output)) == 0
    printed = capsys.readouterr().out
    assert f"Hash (SHA-256): {last}" in printed
    pages = PdfReader(output).pages
    assert len(pages) == 1
    text = pages[0].extract_text()
    assert last[:4] in text and last[-4:] in text and f"{today:%d/%m/%Y}" in text
    yesterday = (today - timedelta(days=1)).isoformat()
    assert server.cli("--db", server.admin_url, "audit", "digest", "--day", yesterday) == 0
    assert last not in capsys.readouterr().out


def _tamper(server: Server, statement: str, *params: object) -> int:
    """What someone with the database's superuser could do: returns the entry's seq."""
    with server.admin() as connection:
        connection.execute("ALTER TABLE audit_log DISABLE TRIGGER raccordo_append_only")
        row = connection.execute(statement, params).fetchone()
        connection.execute("ALTER TABLE audit_log ENABLE TRIGGER raccordo_append_only")
        connection.commit()
    assert row is not None
    return int(row[0])


def _verify_as(server: Server, who: str | None) -> audit.AuditCheck:
    engine = server.engine if who is None else make_engine(server.url_as(server.people[who]))
    with Session(engine) as session:
        check = audit.verify(session)
    if who is not None:
        engine.dispose()
    return check


def test_the_server_and_the_workstation_hash_alike(server: Server) -> None:
    at = datetime(2026, 12, 3, 9, 15, 7, 123456, tzinfo=UTC)
    changes = json.dumps({"surname": [None, "Țurcanu"], "note": ["«a»", "b\nc"]})
    schema = server.roles.schema
    with server.admin() as connection:
        for restricted in (False, True):
            body, chained = connection.execute(
                f"SELECT {schema}.audit_body(%s, %s, %s, %s, %s, %s),"
                f" {schema}.chain_hash(%s, {schema}.audit_body(%s, %s, %s, %s, %s, %s), %s)",
                (
                    *(at, "t_rossi", "dossiers", "id-1", "update", changes),
                    "f" * 64,
                    *(at, "t_rossi", "dossiers", "id-1", "update", changes),
                    restricted,
                ),
            ).fetchone()  # type: ignore[misc]
            assert body == audit.body_digest(at, "t_rossi", "dossiers", "id-1", "update", changes)
            assert chained == audit.chain_hash("f" * 64, body, restricted)
        versions = connection.execute("SELECT DISTINCT hash_version FROM audit_log").fetchall()
    register_as(server, "rossi")
    assert _verify_as(server, None).ok
    assert versions == [(audit.HASH_VERSION,)]


@pytest.mark.parametrize("who", [None, "rossi"])
def test_unmarking_a_restricted_entry_is_found(server: Server, who: str | None) -> None:
    hidden = register_as(server, "neri", "ART18")
    register_as(server, "rossi")
    seq = _tamper(
        server,
        "UPDATE audit_log SET restricted = false WHERE seq = (SELECT min(seq) FROM audit_log"
        " WHERE row_id = %s) RETURNING seq",
        hidden,
    )
    assert (
        f"voce {seq}: contenuto modificato (hash non corrisponde)"
        in _verify_as(server, who).problems
    )


def test_an_edit_hidden_behind_the_mark_is_found_without_the_clearance(server: Server) -> None:
    visible = register_as(server, "rossi")
    register_as(server, "rossi")
    seq = _tamper(
        server,
        "UPDATE audit_log SET restricted = true, changes = '{}' WHERE seq = (SELECT min(seq)"
        " FROM audit_log WHERE row_id = %s) RETURNING seq",
        visible,
    )
    check = _verify_as(server, "rossi")
    assert check.unreadable >= 1
    assert f"voce {seq}: contenuto modificato (hash non corrisponde)" in check.problems
    seq = _tamper(
        server,
        "UPDATE audit_log SET changes = '{}' WHERE seq = (SELECT max(seq) FROM audit_log"
        " WHERE restricted) RETURNING seq",
    )
    assert f"voce {seq}: contenuto modificato (hash non corrisponde)" in (
        _verify_as(server, "rossi").problems
    )


def test_a_log_begun_with_the_earlier_formula_verifies_after_server_init(server: Server) -> None:
    """A database audited before migration 0011 keeps its version 1 entries: server init
    marks those about restricted dossiers (their hash does not cover the mark) and leaves
    the newer ones alone; the mixed chain verifies for everyone."""
    hidden = register_as(server, "neri", "ART18")
    at = datetime(2026, 11, 30, 9, 0, 0, 123456, tzinfo=UTC)
    changes = json.dumps({"surname": [None, "Rossi"]})
    digest = audit.entry_hash(audit.GENESIS, at, "neri", "dossiers", hidden, "insert", changes)
    with server.admin() as connection:
        connection.execute("ALTER TABLE audit_log DISABLE TRIGGER raccordo_append_only")
        connection.execute("DELETE FROM audit_log")
        connection.execute("ALTER TABLE audit_log ENABLE TRIGGER raccordo_append_only")
        connection.execute(
            "INSERT INTO audit_log (at, actor, table_name, row_id, action, changes, prev_hash,"
            " hash, restricted, hash_version) VALUES (%s, 'neri', 'dossiers', %s, 'insert', %s,"
            " %s, %s, false, 1)",
            (at, hidden, changes, audit.GENESIS, digest),
        )
        connection.commit()
    register_as(server, "rossi")  # version 2 entries, chained onto the old one
    argv = ("server", "init", "--db", server.admin_url, "--prefix", server.roles.prefix)
    assert server.cli(*argv) == 0
    with server.admin() as connection:
        marks = connection.execute(
            "SELECT hash_version, restricted FROM audit_log ORDER BY seq"
        ).fetchall()
    assert marks[0] == (1, True)
    assert {version for version, _ in marks[1:]} == {audit.HASH_VERSION}
    full, uncleared = _verify_as(server, None), _verify_as(server, "rossi")
    assert full.ok and uncleared.ok, (full.problems, uncleared.problems)
    assert uncleared.unreadable >= 1
    assert (full.entries, full.last_hash) == (uncleared.entries, uncleared.last_hash)
