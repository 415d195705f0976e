"""Backing up and restoring the embedded database, and the backup taken before an upgrade."""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from desktop.backup import BACKUP_FOLDER
from desktop.config import resolve
from desktop.wiring import open_database
from models.db import MIGRATIONS_DIR, SCHEMA_HEAD, current_revision, make_engine
from tests.test_cli import Cli, add_worker


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("RACCORDO_SITE_CONFIG", str(tmp_path / "no-site.ini"))
    runner = Cli(tmp_path / "home", capsys)
    assert runner("init")[0] == 0
    assert runner("user", "add", "rossi", "--office", "LO-SUI", "--role", "sui_clerk")[0] == 0
    return runner


def protocols(cli: Cli) -> list[str]:
    rows = cli.json("dossier", "list", user="rossi")
    assert isinstance(rows, list)
    return sorted(row["protocol"] for row in rows)


def revision_of(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def database_at(path: Path, revision: str) -> None:
    """An embedded database as an older Raccordo left it."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = make_engine(str(path))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def test_restore_brings_back_the_data_as_it_was(cli: Cli, tmp_path: Path) -> None:
    first = add_worker(cli, date.today())
    backup_file = tmp_path / "copie" / "lunedi.sqlite3"
    code, out, err = cli("backup", str(backup_file))
    assert code == 0, err
    assert "backup verificato" in out and "pratiche: 1," in out
    later = add_worker(cli, date.today())
    assert protocols(cli) == sorted([first, later])

    code, out, err = cli("restore", str(backup_file))
    assert code == 0, err
    assert protocols(cli) == [first]
    # The database that was replaced is kept, with the later dossier in it.
    kept = list((cli.home / BACKUP_FOLDER).glob("raccordo-prima-del-ripristino-*.sqlite3"))
    assert len(kept) == 1 and str(kept[0]) in out
    with sqlite3.connect(kept[0]) as connection:
        assert connection.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 2


def test_backup_while_another_connection_is_writing(cli: Cli, tmp_path: Path) -> None:
    """The window keeps the database open; the backup holds what was committed."""
    add_worker(cli, date.today())
    database = cli.home / "raccordo.sqlite3"
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM term_rules")  # not committed while the backup runs
    try:
        code, out, err = cli("backup", str(tmp_path / "b.sqlite3"), "--json")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert code == 0, err
    report = json.loads(out)
    assert report["revision"] == SCHEMA_HEAD
    assert report["rows"]["dossiers"] == 1 and report["rows"]["term_rules"] > 0
    with sqlite3.connect(tmp_path / "b.sqlite3") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def corrupt_copy(source: Path, target: Path) -> None:
    data = bytearray(source.read_bytes())
    page = 4096
    for offset in range(2 * page, min(len(data), 6 * page)):  # scribble over b-tree pages
        data[offset] = 0x5A
    target.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("not-sqlite", "non è un database SQLite"),
        ("other-app", "non è un backup di Raccordo: mancano le tabelle"),
        ("corrupt", "è danneggiato"),
        ("newer", "viene da una versione più recente di Raccordo"),
        ("missing", "non trovato"),
    ],
)
def test_restore_refuses_what_is_not_a_usable_backup(
    cli: Cli, tmp_path: Path, kind: str, reason: str
) -> None:
    mine = add_worker(cli, date.today())
    good = tmp_path / "good.sqlite3"
    assert cli("backup", str(good))[0] == 0
    candidate = tmp_path / f"{kind}.sqlite3"
    if kind == "not-sqlite":
        candidate.write_text("PRAGMA non sono un database\n")
    elif kind == "other-app":
        with sqlite3.connect(candidate) as other:
            other.execute("CREATE TABLE ricette (nome TEXT)")
    elif kind == "corrupt":
        corrupt_copy(good, candidate)
    elif kind == "newer":
        candidate.write_bytes(good.read_bytes())
        with sqlite3.connect(candidate) as newer:
            newer.execute("UPDATE alembic_version SET version_num = '9999'")
    code, _, err = cli("restore", str(candidate))
    assert code == 1
    assert reason in err
    assert protocols(cli) == [mine]
    assert not (cli.home / BACKUP_FOLDER).exists()  # nothing was replaced, nothing saved


def test_an_older_backup_is_migrated_when_restored(cli: Cli, tmp_path: Path) -> None:
    old = tmp_path / "vecchio.sqlite3"
    database_at(old, "0001")
    code, out, err = cli("restore", str(old))
    assert code == 0, err
    assert "aggiornato dallo schema 0001" in out
    assert revision_of(cli.home / "raccordo.sqlite3") == SCHEMA_HEAD
    offices = cli.json("offices")
    assert isinstance(offices, list) and {o["code"] for o in offices} == {"LO-SUI", "LO-QUESTURA"}


def test_opening_an_older_database_backs_it_up_before_upgrading(tmp_path: Path) -> None:
    home = tmp_path / "home"
    database_at(home / "raccordo.sqlite3", "0001")
    workstation = resolve(str(home))
    database = open_database(workstation)
    assert current_revision(database.engine) == SCHEMA_HEAD
    saved = list((home / BACKUP_FOLDER).glob("raccordo-schema-0001-*.sqlite3"))
    assert len(saved) == 1 and revision_of(saved[0]) == "0001"
    database.engine.dispose()
    open_database(workstation).engine.dispose()  # already current: no second backup
    assert len(list((home / BACKUP_FOLDER).iterdir())) == 1


def test_the_shared_server_is_backed_up_with_pg_dump(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("--db", "postgresql://sportello@db.invalid/raccordo", "backup", "x.sqlite3")
    assert code == 1 and "pg_dump" in err


def test_an_upgrade_from_the_command_line_is_in_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RACCORDO_SITE_CONFIG", str(tmp_path / "no-site.ini"))
    home = tmp_path / "home"
    database_at(home / "raccordo.sqlite3", "0001")
    assert Cli(home, capsys)("init")[0] == 0
    logging.shutdown()
    text = (home / "logs" / "raccordo.log").read_text(encoding="utf-8")
    assert "schema 0001 older than" in text and "backup taken before upgrading" in text
    assert "Running upgrade 0001 -> 0002" in text
    assert len(list((home / BACKUP_FOLDER).glob("raccordo-schema-0001-*.sqlite3"))) == 1


def test_a_plain_copy_of_the_database_file_restores_too(cli: Cli, tmp_path: Path) -> None:
    """What IT has when it copied the file itself; it is in WAL mode, with no -shm beside it."""
    first = add_worker(cli, date.today())
    database = cli.home / "raccordo.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    saved = tmp_path / "copia-a-mano"
    saved.mkdir()
    (saved / "raccordo.sqlite3").write_bytes(database.read_bytes())
    saved.chmod(0o555)  # a read-only share: nothing may be created beside the copy
    add_worker(cli, date.today())
    try:
        code, _, err = cli("restore", str(saved / "raccordo.sqlite3"))
    finally:
        saved.chmod(0o755)
    assert code == 0, err
    assert protocols(cli) == [first]
    assert sorted(p.name for p in saved.iterdir()) == ["raccordo.sqlite3"]
