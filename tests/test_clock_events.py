"""What a clerk sees of the suspension rules: the applicant's observations as a dated
event, the warning on a request that suspends nothing, the anomalies on the dossier."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from models.calendar import calendar_for
from models.errors import PermissionDenied, ValidationError
from models.services import views
from models.services.flags import raise_flag
from models.services.observations import record_observations
from models.services.workflow import advance
from models.uow import Database
from tests.factories import register
from tests.test_cli import TODAY, Cli, add_worker
from tests.test_cli import cli as cli  # the fixture

LODI = calendar_for("LO")


def days_ago(count: int) -> str:
    return (TODAY - timedelta(days=count)).isoformat()


def ok(cli: Cli, *args: str, user: str = "rossi") -> str:
    code, _out, err = cli(*args, user=user)
    assert code == 0, err
    return err


def test_observations_from_the_command_line_restart_the_term(cli: Cli) -> None:
    filed = TODAY - timedelta(days=100)
    ref = add_worker(cli, filed)
    ok(cli, "dossier", "advance", ref, "in_istruttoria", "--on", days_ago(95))
    ok(cli, "dossier", "advance", ref, "preavviso_rigetto", "--on", days_ago(80))
    ok(cli, "dossier", "observations", ref, "--on", days_ago(75), "--note", "memoria del legale")
    ok(cli, "dossier", "advance", ref, "in_istruttoria", "--on", days_ago(60))

    shown = cli.json("dossier", "show", ref, user="rossi")
    assert isinstance(shown, dict)
    # Suspended from the notice to 10 days after the observations: 15 days.
    assert shown["suspended_days"] == 15
    expected = LODI.roll_forward(filed + timedelta(days=60 + 15))
    assert shown["deadline"] == expected.isoformat()
    (event,) = [e for e in shown["history"] if e["kind"] == "observations"]
    assert (event["effective_on"], event["note"]) == (days_ago(75), "memoria del legale")
    code, text, _ = cli("dossier", "show", ref, user="rossi")
    assert code == 0 and "observations memoria del legale" in text

    code, _, err = cli("dossier", "observations", ref, "--on", days_ago(70), user="rossi")
    assert code == 1
    assert "già registrate (pervenute il" in err and "Traceback" not in err


def test_observations_need_a_preavviso(cli: Cli) -> None:
    ref = add_worker(cli, TODAY - timedelta(days=10))
    code, _, err = cli("dossier", "observations", ref, user="rossi")
    assert code == 1 and "nessun preavviso di rigetto sulla pratica" in err


def test_a_second_suspending_item_is_raised_with_a_warning(cli: Cli) -> None:
    ref = add_worker(cli, TODAY - timedelta(days=40))
    ok(cli, "dossier", "advance", ref, "in_istruttoria", "--on", days_ago(39))
    ok(cli, "dossier", "advance", ref, "integrazione_richiesta", "--on", days_ago(35))
    ok(cli, "dossier", "advance", ref, "in_istruttoria", "--on", days_ago(30))
    code, out, err = cli(
        "flag",
        "raise",
        ref,
        "--category",
        "documenti_mancanti",
        "--text",
        "Contratto di soggiorno",
        "--suspends",
        "--on",
        days_ago(20),
        user="rossi",
    )
    assert code == 0
    number = out.strip()
    warning = (
        f"segnalazione #{number} del {TODAY - timedelta(days=20):%d/%m/%Y}: seconda richiesta "
        "di sospensione, oltre l'unica ammessa (art. 2 c. 7 L. 241/1990); non sospende il termine"
    )
    assert err.strip() == f"attenzione: {warning}"
    shown = cli.json("dossier", "show", ref, user="rossi")
    assert isinstance(shown, dict)
    assert shown["suspended_days"] == 5 and shown["open_flags"] == 1
    assert shown["clock_detail"]["anomalies"] == [warning]
    (raised,) = [e for e in shown["history"] if e["kind"] == "flag_raised"]
    assert raised["clock_notes"] == [warning]
    code, text, _ = cli("dossier", "show", ref, user="rossi")
    assert f"  ! {warning}" in text and f"      ! {warning}" in text


def test_rules_list_shows_the_suspension_rules(cli: Cli) -> None:
    rules = cli.json("rules", "list", "--type", "CONVERSIONE")
    assert isinstance(rules, list)
    assert [
        (r["valid_from"], r["saturday_working"], r["preavviso_effect"], r["suspension_max_days"])
        for r in rules
    ] == [("1998-01-01", True, "interrupts", 30), ("2020-07-17", True, "suspends", 30)]
    assert rules[1]["suspension_max_count"] == 1
    assert (rules[1]["preavviso_reply_days"], rules[1]["preavviso_restart_days"]) == (10, 10)


def test_only_the_lead_office_records_observations(db: Database) -> None:
    ref = register(db, type_code="CONVERSIONE", filed_on="2026-09-01").reference
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "in_istruttoria", date(2026, 9, 2))
        advance(uow, ref, "preavviso_rigetto", date(2026, 9, 10))
        uow.commit()
    with db.unit_of_work("bianchi", write=True) as uow, pytest.raises(PermissionDenied):
        record_observations(uow, ref, date(2026, 9, 15))
    with db.unit_of_work("rossi", write=True) as uow, pytest.raises(ValidationError) as late:
        record_observations(uow, ref, date(2026, 9, 5))
    assert "nessun preavviso di rigetto" in str(late.value)
    with db.unit_of_work("rossi", write=True) as uow:
        changes = record_observations(uow, ref, date(2026, 9, 25))
        uow.commit()
    # Arrived after the 10 days: recorded, but the term had already run again on 20 Sep.
    assert changes.warnings == (
        "osservazioni del 25/09/2026 giunte oltre i 10 giorni dal preavviso di rigetto del "
        "10/09/2026: il termine è ripreso il 20/09/2026 (art. 10-bis L. 241/1990)",
    )
    with db.unit_of_work("rossi") as uow:
        detail = views.dossier_detail(uow, ref)
    assert detail.suspended_days == 10
    assert detail.history[-1].clock_notes == changes.warnings


def test_a_suspending_item_raised_first_warns_nobody(db: Database) -> None:
    ref = register(db, type_code="CONVERSIONE", filed_on="2026-10-01").reference
    with db.unit_of_work("rossi", write=True) as uow:
        _number, changes = raise_flag(
            uow, ref, "documenti_mancanti", "Marca da bollo", True, date(2026, 11, 10)
        )
        uow.commit()
    assert changes.warnings == ()
