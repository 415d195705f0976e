"""The workstation log: what happened, never who it happened to, never a password."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from desktop.logging_setup import LOG_FILE, configure, redact
from tests.test_cli import Cli, add_worker

SURNAME, GIVEN, FISCAL, PASSPORT = "Țurcanu", "Ștefan", "TRCSTF90C04Z129A", "YA8123456"
PASSWORD = "Sgr3to-Pr3fettura"
BAD_FISCAL = "TRCSTF90C04Z129X"  # wrong check letter


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("RACCORDO_SITE_CONFIG", str(tmp_path / "no-site.ini"))
    return Cli(tmp_path / "home", capsys)


def log_text(cli: Cli) -> str:
    logging.shutdown()  # flush
    return (cli.home / "logs" / LOG_FILE).read_text(encoding="utf-8")


def assert_nothing_personal(text: str) -> None:
    for secret in (SURNAME, GIVEN, FISCAL, BAD_FISCAL, PASSPORT, PASSWORD, "Cascina Bassiana"):
        assert secret.lower() not in text.lower(), secret


def work_on_personal_data(cli: Cli, *debug: str, tmp_path: Path) -> str:
    assert cli(*debug, "init")[0] == 0
    assert cli(*debug, "user", "add", "rossi", "--office", "LO-SUI", "--role", "sui_clerk")[0] == 0
    ref = add_worker(cli, date.today(), passport=PASSPORT, fiscal_code=FISCAL)
    assert cli(*debug, "dossier", "show", ref, user="rossi")[0] == 0
    code, out, _ = cli(*debug, "dossier", "list", "--search", SURNAME, user="rossi")
    assert code == 0 and ref in out
    assert (
        cli(*debug, "dossier", "update", ref, "--set", f"surname={SURNAME}x", user="rossi")[0] == 0
    )
    code, _, err = cli(
        *debug, "dossier", "update", ref, "--set", f"fiscal_code={BAD_FISCAL}", user="rossi"
    )
    assert code == 1 and BAD_FISCAL in err  # the user is told; the log is not
    pdf = tmp_path / "ricevuta.pdf"
    assert cli(*debug, "print", "ricevuta", "--dossier", ref, "-o", str(pdf), user="rossi")[0] == 0
    url = f"postgresql://sportello:{PASSWORD}@db.prefettura.local/raccordo"
    assert cli(*debug, "config", "set", "server.url", url)[0] == 0
    assert cli(*debug, "--db", url, "backup", str(tmp_path / "x.sqlite3"))[0] == 1
    return ref


def test_the_log_records_commands_but_no_personal_data(cli: Cli, tmp_path: Path) -> None:
    work_on_personal_data(cli, tmp_path=tmp_path)
    text = log_text(cli)
    assert "started" in text
    for name in (
        "command: dossier add",
        "command: print",
        "command dossier update refused: ValidationError",
    ):
        assert name in text
    # Reading changes nothing: a read that went well leaves no line (see the next test).
    assert "dossier show" not in text and "dossier list" not in text
    assert "DEBUG" not in text
    assert_nothing_personal(text)


def test_a_read_command_sets_the_log_up_only_to_record_a_refusal(cli: Cli) -> None:
    assert cli("init")[0] == 0
    logging.shutdown()
    (cli.home / "logs" / LOG_FILE).unlink()
    assert cli("deadlines", "--within", "7")[0] == 0
    assert cli("dossier", "list", "--search", SURNAME)[0] == 0
    assert not (cli.home / "logs" / LOG_FILE).exists()
    assert cli("dossier", "show", "LO-SUI/2026/0000099")[0] == 1
    text = log_text(cli)
    assert "command dossier show refused: NotFound" in text
    assert_nothing_personal(text)


def test_debug_says_more_and_still_nothing_personal(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work_on_personal_data(cli, "--debug", tmp_path=tmp_path)
    text = log_text(cli)
    assert "DEBUG" in text and "setting server.url = postgresql://sportello:***@" in text
    assert_nothing_personal(text)


def test_a_failure_is_logged_with_its_traceback_and_without_its_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RACCORDO_SITE_CONFIG", str(tmp_path / "no-site.ini"))
    path = configure(tmp_path)
    assert path == tmp_path / "logs" / LOG_FILE
    try:
        raise ConnectionError(
            f"cannot reach postgresql://sportello:{PASSWORD}@db/raccordo password={PASSWORD}\n"
            f"[parameters: ('{SURNAME}', '{FISCAL}')]"
        )
    except ConnectionError:
        logging.getLogger("raccordo.test").exception("sync failed for %s", FISCAL)
    logging.shutdown()
    text = path.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "ConnectionError" in text
    assert "postgresql://sportello:***@db/raccordo" in text
    assert_nothing_personal(text)


def test_redact_keeps_what_is_not_secret() -> None:
    line = "opened LO-SUI/2026/0000123 on sqlite:////home/rossi/raccordo.sqlite3 in 0.2 s"
    assert redact(line) == line
    assert redact("postgresql://admin@db/raccordo") == "postgresql://admin@db/raccordo"


def test_the_log_level_comes_from_the_settings(cli: Cli) -> None:
    assert cli("config", "set", "log.level", "WARNING")[0] == 0
    assert cli("config", "show")[0] == 0
    assert "command: config show" not in log_text(cli)
    (cli.home / "raccordo.ini").write_text("[log]\nlevel = verbose\n", encoding="utf-8")
    assert cli("config", "show")[0] == 0  # an unknown level written by hand: INFO
    assert "command: config show" in log_text(cli)
