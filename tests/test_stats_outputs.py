"""``raccordo report timing`` on demo data: JSON, CSV, XLSX and PDF say the same thing."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from desktop.cli.main import main
from desktop.config import resolve
from desktop.wiring import open_database
from models.dossiers import Dossier
from reports.stats import AGE_BUCKETS, DEFINITIONS, key_value
from reports.stats_export import KEY_FIGURES, read_csv_tables
from reports.stats_pdf import number

SUMMARY_KEYS = {"n", "median", "p90", "mean"}
FIGURE_KEYS = {
    "filed", "closed", "open", "clearance_rate", "turnaround", "net_turnaround",
    "within_term_pct", "by_holder", "backlog_age", "pareri",
}  # fmt: skip
AGE_TITLE = "Età dell'arretrato a fine periodo (giorni dal deposito)"
RANGE = ["--from", "01/01/2025", "--to", "30/06/2026"]


def run(home: Path, *args: str, user: str = "admin") -> int:
    try:
        return main(["--home", str(home), "--user", user, *args])
    except SystemExit as exit_:
        return int(exit_.code or 0)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    home = tmp_path_factory.mktemp("stats")
    assert run(home, "init") == 0
    assert run(home, "demo", "--dossiers", "400", "--seed", "5") == 0
    files = {name: home / name for name in ("r.pdf", "r.csv", "r.xlsx", "r.json")}
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = run(
            home, "report", "timing", *RANGE, "--by", "type",
            "-o", str(files["r.pdf"]), "--csv", str(files["r.csv"]),
            "--xlsx", str(files["r.xlsx"]), "--json",
        )  # fmt: skip
    assert code == 0
    database = open_database(resolve(home=str(home)))
    with database.sessions() as session:
        people = session.execute(
            select(Dossier.surname, Dossier.given_names, Dossier.fiscal_code, Dossier.passport)
        ).all()
    database.engine.dispose()
    yield {"home": home, "json": json.loads(buffer.getvalue()), "files": files, "people": people}


def test_json_keys(outputs: dict[str, Any]) -> None:
    data = outputs["json"]
    for figures in (data, data["previous"]):
        assert set(figures) >= FIGURE_KEYS
        assert set(figures["turnaround"]) == SUMMARY_KEYS
        assert set(figures["net_turnaround"]) == SUMMARY_KEYS
        assert set(figures["by_holder"]) == {"sui", "questura", "applicant"}
        assert list(figures["backlog_age"]) == [label for label, _, _ in AGE_BUCKETS]
        assert {"requested", "given", "median_days", "overdue"} <= set(figures["pareri"])
    assert data["filed"] > 0 and data["closed"] > 0
    assert data["previous"]["to"] == "2024-12-31"
    assert data["groups"]


def _same(text: object, value: float | None) -> bool:
    if value is None:
        return text in ("", None)
    return float(str(text)) == pytest.approx(value)


def test_csv_equals_json(outputs: dict[str, Any]) -> None:
    data = outputs["json"]
    tables = read_csv_tables(outputs["files"]["r.csv"])
    key_rows = {row[0]: row for row in tables["Indicatori principali"][1:]}
    for key, label in KEY_FIGURES:
        assert _same(key_rows[label][1], key_value(data, key)), key
        assert _same(key_rows[label][2], key_value(data["previous"], key)), key
    ages = {row[0]: row for row in tables[AGE_TITLE]}
    for label, count in data["backlog_age"].items():
        assert int(ages[label][1]) == count
    holders = tables["Giorni mediani per detentore (pratiche chiuse nel periodo)"]
    assert holders[1][0] == "Tutti"
    for text, party in zip(holders[1][1:], ("sui", "questura", "applicant"), strict=True):
        assert _same(text, data["by_holder"][party])


def test_xlsx_equals_json(outputs: dict[str, Any]) -> None:
    data = outputs["json"]
    workbook = load_workbook(outputs["files"]["r.xlsx"])
    rows = list(workbook["Sintesi"].iter_rows(min_row=3, values_only=True))
    by_label = {row[0]: row for row in rows}
    for key, label in KEY_FIGURES:
        assert _same(by_label[label][1], key_value(data, key)), key
        assert _same(by_label[label][2], key_value(data["previous"], key)), key
    oldest = list(workbook["Piu_vecchie"].iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in oldest] == [d["protocol"] for d in data["oldest_open"]]
    assert set(workbook.sheetnames) >= {"Sintesi", "Detentori", "Arretrato", "Mesi", "Gruppi"}


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_pdf_states_definitions_and_key_figures(outputs: dict[str, Any]) -> None:
    data = outputs["json"]
    text = re.sub(r"\s+", " ", _pdf_text(outputs["files"]["r.pdf"]))
    assert "Tempi di lavorazione delle pratiche" in text
    assert "Definizioni" in text
    for definition in DEFINITIONS:
        assert definition[:40] in text
    first_page = re.sub(r"\s+", " ", PdfReader(outputs["files"]["r.pdf"]).pages[0].extract_text())
    for value in (data["filed"], data["closed"], data["open"], data["turnaround"]["median"]):
        assert number(value) in first_page
    assert "PERCENTILE.INC" in text


def _words(text: str) -> set[str]:
    return {word.upper() for word in re.findall(r"[^\W\d_]+", text)}


def test_no_personal_data_anywhere(outputs: dict[str, Any]) -> None:
    files = outputs["files"]
    workbook = load_workbook(files["r.xlsx"])
    cells = " ".join(
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    texts = {
        "json": json.dumps(outputs["json"], ensure_ascii=False),
        "csv": files["r.csv"].read_text(encoding="utf-8-sig"),
        "xlsx": cells,
        "pdf": _pdf_text(files["r.pdf"]),
    }
    assert len(outputs["people"]) == 400
    assert any(fiscal_code for _, _, fiscal_code, _ in outputs["people"])
    for name, text in texts.items():
        words, upper = _words(text), text.upper()
        for surname, given_names, fiscal_code, passport in outputs["people"]:
            for part in f"{surname} {given_names}".split():
                assert len(part) < 3 or part.upper() not in words, (name, part)
            for code in (fiscal_code, passport):
                assert not code or code.upper() not in upper, (name, code)


def test_clerks_are_refused_and_text_output(
    outputs: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(outputs["home"], "report", "timing", *RANGE, user="rossi") == 1
    assert "non può produrre statistiche" in capsys.readouterr().err
    assert run(outputs["home"], "report", "timing", *RANGE, "--type", "NO_LAVORO") == 0
    assert "Durata lorda, mediana (gg)" in capsys.readouterr().out
    backwards = ["--from", "2026-01-02", "--to", "2026-01-01"]
    assert run(outputs["home"], "report", "timing", *backwards) == 1


def test_a_period_of_a_few_days_prints_its_charts(outputs: dict[str, Any], tmp_path: Path) -> None:
    # One month without closures: the turnaround lines have no point to draw.
    pdf = tmp_path / "few-days.pdf"
    period = ["--from", "2020-03-01", "--to", "2020-03-03"]
    assert run(outputs["home"], "report", "timing", *period, "-o", str(pdf)) == 0
    assert "Durata lorda delle pratiche chiuse per mese" in _pdf_text(pdf)
