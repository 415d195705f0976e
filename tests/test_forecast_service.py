"""The breach-risk service on a real database (SQLite and PostgreSQL): history, visibility."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop.cli.main import main
from models.forecast import MIN_PASSAGES
from models.read.views import DossierDetail
from models.services import forecast, views
from models.services.registration import register_dossier
from models.services.workflow import advance
from models.uow import Database
from tests.conftest import TODAY, Clock
from tests.factories import WORKER, register

STOPS = list(range(10, 10 + 2 * (MIN_PASSAGES + 6), 2))  # term days to the stop: 10, 12, …


def close_history(db: Database, clock: Clock) -> None:
    """Past work permits, each decided ``k`` days after it went into istruttoria."""
    clock.today = TODAY
    with db.unit_of_work("rossi", write=True) as uow:
        for index, days in enumerate(STOPS):
            filed = date(2026, 3, 1) + timedelta(days=index)
            ref = register_dossier(
                uow, "NO_LAVORO", {**WORKER, "filed_on": filed.isoformat()}
            ).reference
            advance(uow, ref, "in_istruttoria", filed)
            advance(uow, ref, "definita_positiva", filed + timedelta(days=days))
        uow.commit()


def risks(db: Database, user: str) -> dict[uuid.UUID, float | None]:
    with db.unit_of_work(user) as uow:
        return forecast.breach_risks(uow)


def detail(db: Database, ref: str, user: str = "rossi") -> DossierDetail:
    with db.unit_of_work(user) as uow:
        return views.dossier_detail(uow, ref, with_moves=False)


def test_risk_of_an_open_file_from_the_closed_ones(db: Database, clock: Clock) -> None:
    close_history(db, clock)
    filed = TODAY - timedelta(days=10)
    opened = register(db, filed_on=filed.isoformat())
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, opened.reference, "in_istruttoria", filed)
        uow.commit()
    found = risks(db, "rossi")
    # Only the open dossier: the closed ones are history.
    assert list(found) == [opened.dossier_id]
    days_left = detail(db, opened.reference).days_left
    outlived = [k for k in STOPS if k > 10]
    late = [k for k in outlived if k > 10 + days_left]
    assert 0 < len(late) < len(outlived)
    assert found[opened.dossier_id] == len(late) / len(outlived)


def test_no_history_no_estimate_and_overdue_is_certain(db: Database, clock: Clock) -> None:
    clock.today = TODAY
    fresh = register(db, filed_on=(TODAY - timedelta(days=3)).isoformat())
    late = register(db, filed_on=(TODAY - timedelta(days=200)).isoformat())
    found = risks(db, "rossi")
    assert found[fresh.dossier_id] is None
    assert found[late.dossier_id] == 1.0


def test_restricted_files_only_for_cleared_users(db: Database, clock: Clock) -> None:
    clock.today = TODAY
    hidden = register(db, user="neri", type_code="ART18", employer_name="").dossier_id
    plain = register(db).dossier_id
    assert set(risks(db, "rossi")) == {plain}
    assert set(risks(db, "verdi")) == {plain, hidden}


def test_a_suspended_file_is_read_as_the_clock_reads_it_today(db: Database, clock: Clock) -> None:
    clock.today = date(2026, 10, 11)
    ref = register(db, filed_on="2026-10-01").reference
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "in_istruttoria", date(2026, 10, 1))
        advance(uow, ref, "integrazione_richiesta", date(2026, 10, 11))
        uow.commit()
    clock.today = date(2026, 10, 31)  # 20 days later: the stored deadline is 20 days behind
    shown = detail(db, ref)
    assert shown.clock == "suspended" and shown.suspended_days == 20
    with db.unit_of_work("rossi") as uow:
        files = forecast.open_files(uow)
    (file,) = files.values()
    assert file.days_left == shown.days_left
    assert file.age == 0  # all 20 days in the state were suspended


@pytest.mark.parametrize("path", ["light", "services"])
def test_dossier_list_and_show_json_give_the_breach_risk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    home = ["--home", str(tmp_path), "--user", "admin"]
    assert main(["--home", str(tmp_path), "init"]) == 0
    person = ["--surname", "Rossi", "--given-names", "Ana", "--nationality", "ROU"]
    person += ["--birth-date", "1990-03-04", "--employer", "Cascina Bassiana srl"]
    person += ["--employer-fiscal-code", "00743110157"]
    add = [*home, "dossier", "add", "--type", "NO_LAVORO", *person]
    today = date.today()
    for filed in (today - timedelta(days=400), today):  # long overdue; just filed
        day = ["--filed-on", filed.isoformat(), "--quota-assigned-on", filed.isoformat()]
        assert main([*add, *day]) == 0
    capsys.readouterr()
    if path == "services":  # as with a database the light read path does not serve
        monkeypatch.setattr("models.read.connection.open_reader", lambda _url: None)
    assert main([*home, "dossier", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    # Overdue and still running: certain; just filed, no history yet: no estimate.
    assert sorted(d["breach_risk"] for d in listed if d["breach_risk"] is not None) == [1.0]
    assert [d["breach_risk"] for d in listed].count(None) == 1
    assert main([*home, "dossier", "show", listed[0]["reference"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["breach_risk"] == listed[0]["breach_risk"]
