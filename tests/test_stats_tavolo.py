"""The timing report's tavolo section ("did it help?"): PDF, CSV, XLSX and JSON give the
figures counted by hand on the hand-made office of tests/tavolo_scenario.py, and a
restricted dossier discussed at the meeting counts only for a cleared head."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from models.meetings import OutcomeKind
from models.services.tavolo.meetings import close_meeting, start_meeting
from models.services.tavolo.outcomes import OutcomeRequest, mark_done, record_outcome
from models.uow import Database
from reports.stats import Period
from reports.stats_export import read_csv_tables, report_tables, write_csv, write_xlsx
from reports.stats_pdf import render_pdf
from reports.stats_query import timing_report
from reports.stats_report import TimingReport
from tests.conftest import Clock
from tests.factories import register
from tests.tavolo_scenario import (
    Office,
    add_heads,
    agenda,
    build_office,
    move,
    new_meeting,
    set_thresholds,
)

PERIOD = Period(date(2026, 11, 1), date(2026, 12, 31))
FIGURES_TITLE = "Tavolo di coordinamento: pratiche discusse e azioni"
MONTHS_TITLE = "Tavolo di coordinamento: pareri resi per mese e riunioni tenute"


def _outcome(db: Database, dossier_id: str, request: OutcomeRequest) -> str:
    item = next(i for i in agenda(db, "verdi", 1) if str(i.dossier_id) == dossier_id)
    with db.unit_of_work("verdi", write=True) as uow:
        record_outcome(uow, item.short_id, request)
        uow.commit()
    return str(next(i for i in agenda(db, "verdi", 1) if i.id == item.id).outcomes[0].id)


@pytest.fixture
def hidden(db: Database, clock: Clock) -> str:
    """Meeting n. 1 (26/11/2026) discussed four ordinary dossiers, last moved 178, 9, 10
    and 6 days before, and one restricted (art. 18) one, registered 178 days before.
    An action on the overdue dossier, due 01/12, was done on 03/12 (late), after the
    dossier moved on 02/12 (6 days after the meeting); an action on the restricted one,
    due 10/12, is still open. Two pareri were given in November, each after one day."""
    add_heads(db)
    set_thresholds(db)
    office: Office = build_office(db)
    hidden = str(register(db, "neri", "ART18", filed_on="2026-06-01").dossier_id)
    new_meeting(db)
    with db.unit_of_work("verdi", write=True) as uow:
        start_meeting(uow, 1)
        uow.commit()
    late = _outcome(
        db,
        office.overdue,
        OutcomeRequest(OutcomeKind.AZIONE, "Istruire", owner="sui", due_on=date(2026, 12, 1)),
    )
    _outcome(
        db,
        hidden,
        OutcomeRequest(OutcomeKind.AZIONE, "Sentire il PM", owner="sui", due_on=date(2026, 12, 10)),
    )
    with db.unit_of_work("verdi", write=True) as uow:
        close_meeting(uow, 1)
        uow.commit()
    clock.today = date(2026, 12, 3)
    move(db, "rossi", office.overdue, "in_istruttoria", date(2026, 12, 2))
    with db.unit_of_work("rossi", write=True) as uow:
        mark_done(uow, late[:8], date(2026, 12, 3))
        uow.commit()
    return hidden


def _report(db: Database, who: str, type_code: str | None = None) -> TimingReport:
    with db.unit_of_work(who) as uow:
        return timing_report(uow, PERIOD, type_code)


CLEARED = {
    "discussed": 5,
    "median_days_without_move_before": 10.0,  # 6, 9, 10, 178, 178
    "moved_after": 1,
    "median_days_to_next_move_after": 6.0,
    "not_moved_yet": 4,
    "actions": {"on_time": 0, "late": 1, "open_overdue": 0, "open": 1},
    "months": [
        {"month": "2026-11", "pareri_given": 2, "median_wait": 1.0, "meetings": ["2026-11-26"]}
    ],
}
# Without clearance the restricted dossier, its item and its action are not there.
UNCLEARED = CLEARED | {
    "discussed": 4,
    "median_days_without_move_before": 9.5,  # 6, 9, 10, 178
    "not_moved_yet": 3,
    "actions": {"on_time": 0, "late": 1, "open_overdue": 0, "open": 0},
}


def test_the_report_gives_the_hand_counted_figures_to_each_head(db: Database, hidden: str) -> None:
    assert _report(db, "verdi").as_json()["tavolo"] == CLEARED
    assert _report(db, "ferri").as_json()["tavolo"] == UNCLEARED


def test_a_type_filter_narrows_the_section_to_that_type(db: Database, hidden: str) -> None:
    found = _report(db, "verdi", "ART18").as_json()["tavolo"]
    assert (found["discussed"], found["median_days_without_move_before"]) == (1, 178.0)
    assert found["actions"] == {"on_time": 0, "late": 0, "open_overdue": 0, "open": 1}
    assert found["months"] == [
        {"month": "2026-11", "pareri_given": 0, "median_wait": None, "meetings": ["2026-11-26"]}
    ]
    assert _report(db, "ferri", "ART18").as_json()["tavolo"]["discussed"] == 0


def _pdf_text(report: TimingReport) -> str:
    pages = PdfReader(io.BytesIO(render_pdf(report))).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def test_the_pdf_prints_the_section_and_the_chart(db: Database, hidden: str) -> None:
    text = _pdf_text(_report(db, "ferri"))
    assert FIGURES_TITLE in text and MONTHS_TITLE in text
    assert "Pratiche discusse nelle riunioni chiuse del periodo 4" in text
    assert "Giorni senza movimenti quando discusse (mediana) 9,5" in text
    assert "Giorni dalla riunione al movimento successivo (mediana) 6" in text
    assert "Azioni svolte in ritardo 1" in text
    assert "Azioni aperte nei tempi 0" in text
    assert "2026-11 2 1 26/11" in text
    assert "2026-12 0 —" in text
    chart = text.split("Pareri: attesa mediana per mese (giorni) e riunioni del tavolo", 1)[1]
    chart = chart.split("Attesa mediana dei pareri resi Riunione del tavolo", 1)[0]
    assert chart.startswith(" 11/26 12/26 ")  # the period's months
    assert chart.endswith(" 26/11 ")  # the meeting's day, marked over its line
    cleared = _pdf_text(_report(db, "verdi"))
    assert "Pratiche discusse nelle riunioni chiuse del periodo 5" in cleared
    assert "Azioni aperte nei tempi 1" in cleared


def test_csv_and_xlsx_carry_the_same_tables(db: Database, hidden: str, tmp_path: Path) -> None:
    report = _report(db, "ferri")
    write_csv(report, tmp_path / "r.csv")
    write_xlsx(report, tmp_path / "r.xlsx")
    tables = read_csv_tables(tmp_path / "r.csv")
    figures = dict((row[0], row[1]) for row in tables[FIGURES_TITLE][1:])
    assert figures["Pratiche discusse nelle riunioni chiuse del periodo"] == "4"
    assert figures["Giorni senza movimenti quando discusse (mediana)"] == "9.5"
    assert figures["Azioni svolte in ritardo"] == "1"
    assert tables[MONTHS_TITLE][1:] == [
        ["2026-11", "2", "1", "26/11"],
        ["2026-12", "0", "", ""],
    ]
    book = load_workbook(tmp_path / "r.xlsx")
    assert book["Tavolo"]["A1"].value == FIGURES_TITLE
    sheet = {row[0]: row[1] for row in book["Tavolo"].iter_rows(min_row=3, values_only=True)}
    assert sheet["Pratiche non ancora mosse dopo la riunione"] == 3
    months = list(book["Tavolo_pareri"].iter_rows(min_row=3, values_only=True))
    assert months == [("2026-11", 2, 1, "26/11"), ("2026-12", 0, None, None)]
    assert [t.name for t in report_tables(report)][-2:] == ["Tavolo", "Tavolo_pareri"]
