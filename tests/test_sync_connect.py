"""Connecting a workstation: the password only in the keyring, commands on the replica."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from sqlalchemy import text

from desktop.cli.main import main
from desktop.connection import SERVICE, load_connection
from desktop.settings import load
from sync.engine import SyncEngine
from sync.link import with_user
from tests.conftest import Clock
from tests.sync_support import (
    PASSWORD,
    MemoryKeyring,
    SharedServer,
    station,
)

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]

ADD = [
    "dossier", "add", "--type", "NO_LAVORO", "--surname", "Țurcanu", "--given-names", "Ștefan",
    "--birth-date", "1990-03-04", "--nationality", "ROU", "--employer", "Cascina srl",
    "--employer-fiscal-code", "00743110157", "--filed-on", "2026-11-20",
    "--quota-assigned-on", "2026-11-21",
]  # fmt: skip


def _cli(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    home: Path,
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--home", str(home), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _files_holding(home: Path, secret: str) -> list[Path]:
    needle = secret.encode()
    return [p for p in home.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_connect_keeps_the_password_in_the_keyring_and_nowhere_else(
    shared: SharedServer,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "home"
    url = shared.url("rossi")
    code, out, err = _cli(capsys, monkeypatch, home, "connect", url, "--password-stdin",
                          stdin=PASSWORD + "\n")  # fmt: skip
    assert code == 0, err
    info = load_connection(home)
    assert info is not None and info.url.startswith(f"postgresql://{shared.users['rossi']}@")
    assert memory_keyring.secrets == {(SERVICE, info.keyring_key): PASSWORD}
    assert load(home).get("server.url") == info.address  # the person is in server.user
    assert load(home).get("server.user") == shared.users["rossi"]

    code, out, err = _cli(capsys, monkeypatch, home, *ADD)
    assert code == 0, err
    assert out.startswith("PROVV-")  # provisional until the server numbers it
    code, out, err = _cli(capsys, monkeypatch, home, "sync", "--json")
    assert code == 0, err
    assert json.loads(out)["pushed"] == 1
    code, out, err = _cli(capsys, monkeypatch, home, "dossier", "list", "--json")
    [listed] = json.loads(out)
    assert listed["protocol"].startswith("LO-SUI/")
    code, out, err = _cli(capsys, monkeypatch, home, "--debug", "sync")
    assert code == 0, err
    assert PASSWORD not in out + err
    assert (home / "replica.sqlite3").exists()
    assert _files_holding(home, PASSWORD) == []


def test_a_server_fixed_by_the_site_file_is_used_and_kept(
    shared: SharedServer,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "home"
    address = with_user(shared.url("rossi"), "x").replace("x@", "", 1)
    site = tmp_path / "site.ini"
    site.write_text(f"[server]\nurl = {address}\n\n[locked]\nkeys = server.url\n", "utf-8")
    monkeypatch.setenv("RACCORDO_SITE_CONFIG", str(site))
    other = shared.url("rossi").replace("127.0.0.1", "localhost")
    code, _out, err = _cli(capsys, monkeypatch, home, "connect", other, "--password-stdin",
                           stdin=PASSWORD + "\n")  # fmt: skip
    assert code == 1 and "la configurazione di sede fissa il server" in err
    assert load_connection(home) is None

    user = shared.users["rossi"]
    code, _out, err = _cli(capsys, monkeypatch, home, "--user", user, "connect",
                           "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    assert code == 0, err
    info = load_connection(home)
    assert info is not None and info.user == user and info.address == address

    code, _out, err = _cli(capsys, monkeypatch, home, "disconnect")
    assert code == 0, err
    assert load_connection(home) is None
    assert load(home).get("server.url") == address  # still the site's, for the next person


def test_a_password_written_in_the_url_is_stripped(
    shared: SharedServer,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "home"
    url = shared.url("rossi").replace("@", f":{PASSWORD}@", 1)
    code, out, err = _cli(capsys, monkeypatch, home, "connect", url)
    assert code == 0, err
    assert PASSWORD not in out + err
    assert _files_holding(home, PASSWORD) == []
    assert PASSWORD in memory_keyring.secrets.values()


def test_without_a_keyring_nothing_is_stored_and_the_password_is_asked_each_time(
    shared: SharedServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        home = tmp_path / "home"
        code, _out, err = _cli(capsys, monkeypatch, home, "connect", shared.url("rossi"),
                              "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
        assert code == 0, err
        assert "nessun portachiavi" in err
        asked: list[str] = []
        monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)

        def ask(prompt: str) -> str:
            asked.append(prompt)
            return PASSWORD

        monkeypatch.setattr("getpass.getpass", ask)
        for _ in range(2):
            monkeypatch.setattr("sys.stdin", _Tty())
            assert main(["--home", str(home), "sync"]) == 0
        assert len(asked) == 2
        assert _files_holding(home, PASSWORD) == []
    finally:
        keyring.set_keyring(previous)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_disconnect_refuses_while_changes_are_queued_then_forgets_everything(
    shared: SharedServer,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "home"
    _cli(capsys, monkeypatch, home, "connect", shared.url("rossi"), "--password-stdin",
         stdin=PASSWORD + "\n")  # fmt: skip
    assert _cli(capsys, monkeypatch, home, *ADD)[0] == 0
    code, _out, err = _cli(capsys, monkeypatch, home, "disconnect")
    assert code == 1 and "non ancora inviate" in err
    code, _out, err = _cli(capsys, monkeypatch, home, "replica", "reset")
    assert code == 1 and "non ancora inviate" in err
    code, _out, err = _cli(capsys, monkeypatch, home, "replica", "reset", "--discard-local")
    assert code == 0, err
    assert "scartata: dossiers" in err  # what was lost is listed
    code, _out, err = _cli(capsys, monkeypatch, home, "disconnect")
    assert code == 0, err
    assert load_connection(home) is None
    assert memory_keyring.secrets == {}
    assert not (home / "replica.sqlite3").exists()
    code, out, err = _cli(capsys, monkeypatch, home, "--user", "admin", "dossier", "list",
                          "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == []  # back on the embedded database


def test_the_direct_db_option_still_bypasses_the_replica(
    shared: SharedServer,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = tmp_path / "home"
    _cli(capsys, monkeypatch, home, "connect", shared.url("rossi"), "--password-stdin",
         stdin=PASSWORD + "\n")  # fmt: skip
    assert _cli(capsys, monkeypatch, home, *ADD)[0] == 0
    other = tmp_path / "other.sqlite3"
    code, out, err = _cli(capsys, monkeypatch, home, "--db", str(other), "--user", "admin",
                          "dossier", "list", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == []


def test_a_wrong_clock_or_an_old_protocol_is_refused_and_nothing_moves(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    where = station(shared, "rossi", tmp_path / "home", clock)
    from tests.test_sync_resilience import _register_offline

    _register_offline(where)
    skewed = SyncEngine(
        where.replica,
        where.info,
        PASSWORD,
        local_now=lambda: datetime.now(UTC) + timedelta(minutes=7),
    )
    result = skewed.sync_once()
    skewed.close()
    assert result.online and result.error is not None and "orologio" in result.error
    assert result.queued == 1
    with shared.engine().begin() as connection:
        connection.execute(text("UPDATE settings SET value = '99' WHERE key = 'sync.protocol'"))
    result = where.engine.sync_once()
    assert result.error is not None and "aggiornare Raccordo" in result.error
    assert result.queued == 1
    where.close()
