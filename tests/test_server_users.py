"""``raccordo server add-user|set-password|disable-user``: one login role per person."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import re
from pathlib import Path

import psycopg
import pytest

from tests.server_support import Server

pytestmark = pytest.mark.postgres


def password_of(server: Server, role: str) -> str:
    with server.admin() as connection:
        row = connection.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (role,)
        ).fetchone()
    assert row is not None and row[0] is not None
    return str(row[0])


def scram_accepts(verifier: str, password: str) -> bool:
    """What the server checks at login (RFC 5802), against the stored SCRAM verifier —
    the harness trusts 127.0.0.1, so a real login would accept any password."""
    method, iterations_salt, keys = verifier.split("$")
    assert method == "SCRAM-SHA-256"
    iterations, salt = iterations_salt.split(":")
    stored_key = keys.split(":")[0]
    salted = hashlib.pbkdf2_hmac(
        "sha256", password.encode(), base64.b64decode(salt), int(iterations)
    )
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    return base64.b64encode(hashlib.sha256(client_key).digest()).decode() == stored_key


def groups_of(server: Server, role: str) -> set[str]:
    with server.admin() as connection:
        rows = connection.execute(
            "SELECT g.rolname FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid"
            " JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = %s",
            (role,),
        ).fetchall()
    return {name for (name,) in rows}


def files_mention(home: Path, secret: str) -> list[Path]:
    return [p for p in home.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


def test_add_user_shows_a_generated_password_once_and_it_is_the_one_stored(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"{server.roles.prefix}_gialli"
    argv = ["server", "add-user", name, "--office", "LO-QUESTURA", "--role", "head"]
    assert server.cli(*argv, "--restricted-access", "--db", server.admin_url) == 0
    out = capsys.readouterr().out
    shown = re.findall(r"^password: (\S+)$", out, re.MULTILINE)
    assert len(shown) == 1 and out.count(shown[0]) == 1
    assert scram_accepts(password_of(server, name), shown[0])
    assert not scram_accepts(password_of(server, name), shown[0] + "x")
    assert groups_of(server, name) == {
        server.roles.user,
        server.roles.questura,
        server.roles.head,
        server.roles.restricted,
    }
    with server.connect(name) as connection:  # a working login, seeing its staff row
        row = connection.execute(
            "SELECT role, restricted_access, active FROM staff WHERE username = current_user"
        ).fetchone()
    assert row == ("head", True, True)
    assert files_mention(server.home, shown[0]) == []  # not in the log, nowhere
    assert server.cli(*argv, "--db", server.admin_url) == 1
    assert "esiste già" in capsys.readouterr().err


def test_a_password_from_stdin_is_never_echoed(
    server: Server, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"{server.roles.prefix}_viola"
    secret = "Una-password-lunga-7"
    monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
    argv = ["server", "add-user", name, "--office", "LO-SUI", "--role", "sui_clerk"]
    assert server.cli(*argv, "--password-stdin", "--db", server.admin_url) == 0
    captured = capsys.readouterr()
    assert secret not in captured.out + captured.err and "password:" not in captured.out
    assert scram_accepts(password_of(server, name), secret)
    assert files_mention(server.home, secret) == []

    monkeypatch.setattr("sys.stdin", io.StringIO("Nuova-password-8\n"))
    argv = ["server", "set-password", name, "--password-stdin", "--db", server.admin_url]
    assert server.cli(*argv) == 0
    assert scram_accepts(password_of(server, name), "Nuova-password-8")
    assert not scram_accepts(password_of(server, name), secret)


def test_a_clerk_belongs_to_the_office_of_the_role(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["server", "add-user", f"{server.roles.prefix}_x", "--office", "LO-QUESTURA"]
    assert server.cli(*argv, "--role", "sui_clerk", "--db", server.admin_url) == 1
    assert "non appartiene all'ufficio LO-QUESTURA" in capsys.readouterr().err
    with server.admin() as connection:
        assert connection.execute(
            "SELECT count(*) FROM pg_roles WHERE rolname = %s", (f"{server.roles.prefix}_x",)
        ).fetchone() == (0,)


def test_a_disabled_user_can_no_longer_log_in(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    login = server.people["bianchi"]
    open_session = server.connect("bianchi")
    assert server.cli("server", "disable-user", login, "--db", server.admin_url) == 0
    assert "sessioni chiuse: 1" in capsys.readouterr().out
    with pytest.raises(psycopg.OperationalError):
        open_session.execute("SELECT 1")
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        server.connect("bianchi")
    with server.admin() as connection:
        assert connection.execute(
            "SELECT active FROM staff WHERE username = %s", (login,)
        ).fetchone() == (False,)
