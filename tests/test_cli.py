"""The ``raccordo`` command line as an administrator or a script uses it."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop.cli.main import main

TODAY = date.today()


class Cli:
    def __init__(self, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.home = home
        self.capsys = capsys

    def __call__(self, *args: str, user: str | None = "admin") -> tuple[int, str, str]:
        argv = ["--home", str(self.home)] + (["--user", user] if user else []) + list(args)
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str, user: str | None = "admin") -> object:
        code, out, err = self(*args, "--json", user=user)
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    runner = Cli(tmp_path, capsys)
    assert runner("init")[0] == 0
    assert runner("user", "add", "rossi", "--office", "LO-SUI", "--role", "sui_clerk")[0] == 0
    assert (
        runner("user", "add", "bianchi", "--office", "LO-QUESTURA", "--role", "questura_officer")[0]
        == 0
    )
    return runner


def add_worker(cli: Cli, filed: date, **extra: str) -> str:
    args = [
        "dossier",
        "add",
        "--type",
        "NO_LAVORO",
        "--surname",
        "Țurcanu",
        "--given-names",
        "Ștefan",
        "--birth-date",
        "04/03/1990",
        "--nationality",
        "ROU",
        "--sex",
        "M",
        "--employer",
        "Cascina Bassiana srl",
        "--employer-fiscal-code",
        "00743110157",
        "--filed-on",
        filed.isoformat(),
        "--quota-assigned-on",
        filed.isoformat(),
    ]
    for key, value in extra.items():
        args += [f"--{key.replace('_', '-')}", value]
    code, out, err = cli(*args, user="rossi")
    assert code == 0, err
    return out.strip()


def test_init_twice_changes_nothing(cli: Cli) -> None:
    code, out, _ = cli("init")
    assert code == 0 and "aggiunto" not in out
    offices = cli.json("offices")
    assert [o["code"] for o in offices] == ["LO-QUESTURA", "LO-SUI"]  # type: ignore[union-attr]


def test_a_clerk_and_an_officer_work_a_dossier_from_the_command_line(cli: Cli) -> None:
    filed = TODAY - timedelta(days=20)
    ref = add_worker(cli, filed, application_code="ALI-77", fiscal_code="")
    assert ref.startswith(f"LO-SUI/{TODAY.year}/")
    on = (TODAY - timedelta(days=19)).isoformat()
    assert cli("dossier", "advance", ref, "in_istruttoria", "--on", on, user="rossi")[0] == 0
    assert cli("dossier", "advance", ref, "parere_richiesto", "--on", on, user="rossi")[0] == 0
    code, out, _ = cli(
        "flag",
        "raise",
        "ALI-77",
        "--category",
        "verifica_identita",
        "--text",
        "Passaporto da verificare",
        "--suspends",
        user="bianchi",
    )
    assert code == 0
    flag_number = out.strip()
    assert cli("parere", ref, "--outcome", "favorevole", user="bianchi")[0] == 0
    flags = cli.json("flag", "list", "--open", user="rossi")
    assert [f["number"] for f in flags] == [int(flag_number)]  # type: ignore[index,union-attr]
    assert cli("flag", "resolve", flag_number, "--note", "ok", user="rossi")[0] == 0

    shown = cli.json("dossier", "show", ref, user="rossi")
    assert isinstance(shown, dict)
    for key in (
        "id",
        "protocol",
        "type",
        "state",
        "filed_on",
        "closed_on",
        "deadline",
        "days_left",
        "overdue",
        "holder",
        "suspended_days",
        "person",
        "employer",
        "open_flags",
    ):
        assert key in shown
    assert shown["state"] == "in_istruttoria" and shown["holder"] == "sui"
    assert shown["person"]["surname"] == "Țurcanu"
    assert shown["pareri"][0]["outcome"] == "favorevole"
    assert shown["open_flags"] == 0

    listed = cli.json("dossier", "list", "--search", "stefan", user="rossi")
    assert [d["protocol"] for d in listed] == [ref]  # type: ignore[index,union-attr]
    code, text, _ = cli("dossier", "show", ref, user="rossi")
    assert "Țurcanu Ștefan" in text and "In istruttoria" in text


def test_refused_operations_exit_1_with_an_italian_message(cli: Cli) -> None:
    ref = add_worker(cli, TODAY - timedelta(days=5))
    code, _, err = cli("dossier", "advance", ref, "rigettata", user="rossi")
    assert code == 1 and "stati ammessi da qui: in_istruttoria, archiviata" in err
    code, _, err = cli("dossier", "advance", ref, "in_istruttoria", user="bianchi")
    assert code == 1 and "riservata allo Sportello Unico" in err
    code, _, err = cli(
        "dossier",
        "add",
        "--type",
        "NO_LAVORO",
        "--surname",
        "X",
        "--given-names",
        "Y",
        "--birth-date",
        "2090-01-01",
        "--nationality",
        "ITA",
        user="rossi",
    )
    assert code == 1 and "data di nascita nel futuro" in err and "datore" in err
    code, _, err = cli("user", "add", "x", "--office", "LO-SUI", "--role", "head", user="rossi")
    assert code == 1 and "amministratore" in err
    code, _, err = cli("dossier", "show", ref, user="sconosciuto")
    assert code == 1 and "rossi" in err


def test_bad_usage_exits_2(cli: Cli) -> None:
    assert cli("dossier", "frobnicate")[0] == 2
    assert cli("deadlines", "--within", "many")[0] == 2


def test_deadlines_and_list_filters(cli: Cli) -> None:
    overdue = add_worker(cli, TODAY - timedelta(days=70))
    due = add_worker(cli, TODAY - timedelta(days=58))
    add_worker(cli, TODAY - timedelta(days=1))
    rows = cli.json("deadlines", "--within", "7", user="rossi")
    assert isinstance(rows, list)
    assert [r["protocol"] for r in rows] == [overdue, due]
    assert rows[0]["overdue"] is True and rows[1]["overdue"] is False
    only_overdue = cli.json("dossier", "list", "--overdue", user="rossi")
    assert [r["protocol"] for r in only_overdue] == [overdue]  # type: ignore[index,union-attr]


def test_rule_change_recomputes_deadlines(cli: Cli) -> None:
    filed = TODAY - timedelta(days=10)
    ref = add_worker(cli, filed)
    before = cli.json("dossier", "show", ref, user="rossi")
    code, out, _ = cli(
        "rules",
        "add",
        "--type",
        "NO_LAVORO",
        "--from",
        filed.isoformat(),
        "--term",
        "90",
        "--start",
        "quota_assignment",
        "--basis",
        "test",
    )
    assert code == 0 and "1 pratiche" in out
    after = cli.json("dossier", "show", ref, user="rossi")
    assert isinstance(before, dict) and isinstance(after, dict)
    assert date.fromisoformat(after["deadline"]) >= date.fromisoformat(
        before["deadline"]
    ) + timedelta(days=29)
    rules = cli.json("rules", "list", "--type", "NO_LAVORO")
    assert rules[-1]["term"] == 90 and rules[-2]["valid_to"] is not None  # type: ignore[index]


def test_offices_and_users_as_json_for_scripts(cli: Cli) -> None:
    offices = cli.json("offices")
    assert isinstance(offices, list)
    assert [o["code"] for o in offices] == ["LO-QUESTURA", "LO-SUI"]
    assert list(offices[0]) == [
        "code",
        "kind",
        "name",
        "administration",
        "province",
        "city",
        "address",
        "pec",
        "patron_day",
        "signatory",
        "responsabile",
    ]
    assert (offices[0]["kind"], offices[0]["administration"]) == ("questura", "Questura di Lodi")
    users = cli.json("user", "list")
    assert isinstance(users, list)
    assert [u["username"] for u in users] == ["admin", "bianchi", "rossi"]
    assert users[1] == {
        "username": "bianchi",
        "full_name": "",
        "office": "LO-QUESTURA",
        "role": "questura_officer",
        "restricted_access": False,
        "active": True,
    }
    assert list(users[1]) == [
        "username",
        "full_name",
        "office",
        "role",
        "restricted_access",
        "active",
    ]


def test_a_rule_dropped_from_the_catalogue_is_no_longer_listed(cli: Cli, tmp_path: Path) -> None:
    """The clock no longer applies it, so ``rules list`` does not show it either."""
    before = cli.json("rules", "list", "--type", "CONVERSIONE")
    assert [r["valid_from"] for r in before] == ["1998-01-01", "2020-07-17"]  # type: ignore[index]
    code, exported, _ = cli("catalogue", "export")
    assert code == 0
    document = json.loads(exported)
    conversion = next(t for t in document["types"] if t["code"] == "CONVERSIONE")
    del conversion["rules"][0]  # the rule of 1998
    edited = tmp_path / "catalogo.json"
    edited.write_text(json.dumps(document), encoding="utf-8")
    assert cli("catalogue", "import", str(edited))[0] == 0
    after = cli.json("rules", "list", "--type", "CONVERSIONE")
    assert [(r["valid_from"], r["valid_to"]) for r in after] == [  # type: ignore[index]
        ("2020-07-17", None)
    ]
    types = cli.json("types")
    shown = next(t for t in types if t["code"] == "CONVERSIONE")  # type: ignore[union-attr,index]
    assert [r["valid_from"] for r in shown["rules"]] == ["2020-07-17"]  # type: ignore[index]


def test_audit_verify_fails_after_tampering(cli: Cli) -> None:
    add_worker(cli, TODAY - timedelta(days=3))
    code, out, _ = cli("audit", "verify")
    assert code == 0 and "integro" in out
    with sqlite3.connect(cli.home / "raccordo.sqlite3") as connection:
        connection.execute("UPDATE audit_log SET changes = '{}' WHERE seq = 5")
    code, _, err = cli("audit", "verify")
    assert code == 1 and "voce 5" in err


def test_commands_other_than_the_gui_never_import_qt(cli: Cli) -> None:
    # In a fresh interpreter: pytest-qt has already imported Qt into this one.
    program = (
        "import sys\n"
        "from desktop.cli.main import main\n"
        f"main(['--home', {str(cli.home)!r}, '--user', 'rossi', 'dossier', 'list'])\n"
        "main(['--home', {home!r}, 'types'])\n"
        "sys.exit(any(m.startswith('PySide6') for m in sys.modules))\n"
    ).replace("{home!r}", repr(str(cli.home)))
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr


def test_installed_console_script_runs() -> None:
    script = Path(sys.executable).with_name("raccordo")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("raccordo ")


def test_another_province_gets_its_own_offices_and_patron(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    milano = Cli(tmp_path / "mi", capsys)
    code, out, _ = milano("init", "--province", "MI", "--city", "Milano")
    assert code == 0 and "ufficio MI-SUI" in out and "ufficio MI-QUESTURA" in out
    offices = milano.json("offices")
    assert [o["administration"] for o in offices] == [  # type: ignore[index,union-attr]
        "Questura di Milano",
        "Prefettura – Ufficio Territoriale del Governo di Milano",
    ]
    milano("user", "add", "rossi", "--office", "MI-SUI", "--role", "sui_clerk")
    code, out, err = milano(
        "dossier",
        "add",
        "--type",
        "CONVERSIONE",
        "--surname",
        "Rossi",
        "--given-names",
        "Ana",
        "--birth-date",
        "1990-01-01",
        "--nationality",
        "ALB",
        "--filed-on",
        "2025-10-08",
        user="rossi",
    )
    assert code == 0, err
    shown = milano.json("dossier", "show", out.strip(), user="rossi")
    # 8 Oct 2025 + 60 days = Sunday 7 Dec: Sant'Ambrogio and Sunday, 8 Dec Immacolata → 9 Dec.
    assert shown["deadline"] == "2025-12-09"  # type: ignore[index]
    assert milano("init", "--province", "XX")[0] == 1
