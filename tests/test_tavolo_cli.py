"""``raccordo tavolo``: a meeting convened, prepared, held, closed and minuted from the
command line, as the issue's command block says."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.tavolo_scenario import meeting_on
from tests.test_cli import Cli, add_worker

TODAY = date.today()


@pytest.fixture
def office(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """An initialised workstation with clerks, officers and the heads of both offices."""
    cli = Cli(tmp_path / "home", capsys)
    assert cli("init")[0] == 0
    assert cli("user", "add", "rossi", "--office", "LO-SUI", "--role", "sui_clerk")[0] == 0
    for name, office, role, cleared in (
        ("verdi", "LO-SUI", "head", True),
        ("ferri", "LO-QUESTURA", "head", False),
        ("neri", "LO-QUESTURA", "questura_officer", True),
    ):
        extra = ["--restricted-access"] if cleared else []
        args = ["user", "add", name, "--office", office, "--role", role, *extra]
        assert cli(*args, "--full-name", name.title())[0] == 0
    return cli


def _text(pdf: Path) -> str:
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_meeting_from_convening_to_the_verbale(office: Cli, tmp_path: Path) -> None:
    cli = office
    late = add_worker(cli, TODAY - timedelta(days=200))
    on = meeting_on(TODAY, 2).isoformat()
    code, out, err = cli(
        "tavolo", "new", "--on", on, "--place", "Prefettura", "--every-weeks", "2", user="verdi"
    )
    assert (code, out.strip(), err) == (0, "1", "")
    agenda = cli.json("tavolo", "agenda", "1", user="verdi")
    assert [(i["reason"], i["dossier"]) for i in agenda] == [("overdue", late)]  # type: ignore[index]
    table = cli("tavolo", "agenda", "1", user="verdi")[1]
    assert late in table and agenda[0]["reason_label"] in table  # type: ignore[index]
    assert "overdue" not in table  # the reason in words, never its code
    code, out, _ = cli("tavolo", "item", "1", "--topic", "Orari dello sportello", user="rossi")
    proposal = out.strip()
    assert code == 0 and len(proposal) == 8
    assert cli("tavolo", "start", "1", user="verdi")[0] == 0
    item = agenda[0]["short_id"]  # type: ignore[index]
    due = (TODAY + timedelta(days=10)).isoformat()
    code, out, err = cli(
        "tavolo",
        "outcome",
        item,
        "--action",
        "Chiedere il contratto",
        "--owner",
        "sui",
        "--due",
        due,
        "--flag",
        "documenti_mancanti",
        user="verdi",
    )
    assert code == 0, err
    flags = cli.json("flag", "list", user="rossi")
    assert [(f["dossier"], f["text"]) for f in flags] == [(late, "Chiedere il contratto")]  # type: ignore[index]
    assert cli("tavolo", "close", "1", user="verdi")[1].strip() == (
        "punti non trattati e azioni aperte: riunione n. 2"
    )
    listed = cli.json("tavolo", "list", user="rossi")
    assert [(m["number"], m["state"]) for m in listed] == [(1, "chiusa"), (2, "in_preparazione")]  # type: ignore[index]
    second = cli.json("tavolo", "agenda", "2", user="verdi")
    assert [i["reason"] for i in second][:1] == ["action_open"]  # type: ignore[index]
    assert "Orari dello sportello" in [i["topic"] for i in second]  # type: ignore[index]
    pdf = tmp_path / "verbale.pdf"
    assert cli("tavolo", "verbale", "1", "-o", str(pdf), user="verdi")[0] == 0
    text = _text(pdf)
    for expected in (
        "Verbale del tavolo di coordinamento n. 1",
        "Prefettura",
        "Chiedere il contratto",
        late,
        "Non trattato: rinviato alla riunione successiva",
        "Il responsabile dello Sportello Unico",
        "Il responsabile dell'Ufficio Immigrazione",
        "Ferri",
    ):
        assert expected in text, expected
    assert "BOZZA" not in text
    code, out, _ = cli("tavolo", "verify", user="rossi")
    assert (code, out.strip()) == (0, "1 riunioni chiuse verificate: integre")


def test_refusals_are_one_italian_line(office: Cli) -> None:
    cli = office
    on = meeting_on(TODAY, 2).isoformat()
    code, _, err = cli("tavolo", "new", "--on", on, user="rossi")
    assert code == 1 and err.count("\n") == 1
    assert "riservata ai responsabili e agli amministratori" in err
    assert cli("tavolo", "new", "--on", on, user="verdi")[0] == 0
    code, _, err = cli("tavolo", "agenda", "7", user="verdi")
    assert (code, err) == (1, "errore: riunione n. 7 non trovata\n")
    code, _, err = cli("tavolo", "outcome", "abcdef12", "--info", "x", user="verdi")
    assert (code, err) == (1, "errore: punto «abcdef12» non trovato\n")
    code, _, err = cli("tavolo", "close", "1", user="verdi")
    assert (code, err) == (1, "errore: la riunione n. 1 è in preparazione\n")
    code, _, err = cli("tavolo", "new", "--on", "ieri?", user="verdi")
    assert code == 1 and err.startswith("errore: ") and err.count("\n") == 1


def test_restricted_items_only_in_a_cleared_persons_verbale(office: Cli, tmp_path: Path) -> None:
    cli = office
    add_worker(cli, TODAY - timedelta(days=200))
    code, hidden, err = cli(
        "dossier",
        "add",
        "--type",
        "ART18",
        "--surname",
        "Riservata",
        "--given-names",
        "Ana",
        "--birth-date",
        "04/03/1990",
        "--nationality",
        "NGA",
        "--sex",
        "F",
        "--filed-on",
        (TODAY - timedelta(days=300)).isoformat(),
        user="neri",
    )
    assert code == 0, err
    on = meeting_on(TODAY, 2).isoformat()
    assert cli("tavolo", "new", "--on", on, user="verdi")[0] == 0
    seen = {i["dossier"] for i in cli.json("tavolo", "agenda", "1", user="verdi")}  # type: ignore[union-attr]
    assert hidden.strip() in seen
    unseen = {i["dossier"] for i in cli.json("tavolo", "agenda", "1", user="ferri")}  # type: ignore[union-attr]
    assert hidden.strip() not in unseen and len(unseen) == 1
    cleared, uncleared = tmp_path / "verdi.pdf", tmp_path / "ferri.pdf"
    assert cli("tavolo", "verbale", "1", "-o", str(cleared), user="verdi")[0] == 0
    assert cli("tavolo", "verbale", "1", "-o", str(uncleared), user="ferri")[0] == 0
    assert "Allegato riservato" in _text(cleared) and "Riservata" in _text(cleared)
    assert "BOZZA" in _text(cleared)
    assert "Allegato riservato" not in _text(uncleared)
    assert "Riservata" not in _text(uncleared) and hidden.strip() not in _text(uncleared)
    json.dumps(seen, default=str)


def test_did_it_help_from_the_command_line(office: Cli) -> None:
    cli = office
    found = cli.json("tavolo", "stats", "--from", "2026-01-01", user="verdi")
    assert found["discussed"] == 0 and found["actions"]["open"] == 0  # type: ignore[index]
    code, _, err = cli("tavolo", "stats", "--from", "31/12/2026", "--to", "01/01/2026")
    assert (code, err) == (1, "errore: il periodo finisce prima di cominciare\n")
