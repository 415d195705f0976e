"""Letters for many dossiers at once: one PDF, one letter each as it prints alone, the
refused ones listed with their reason, each printing recorded on its own dossier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

import pypdf
import pytest

from desktop.cli.main import main
from desktop.config import resolve
from desktop.wiring import open_database
from models.errors import ValidationError
from models.services import views
from models.services.admin import add_user
from models.services.bulk_letters import plan_letters, record_letters
from models.services.letter_values import letter_values
from models.services.workflow import advance
from models.uow import Database
from reports import forms
from reports.bulk_letters import bulk_letters
from reports.documents import FormDocument, Letterhead
from reports.pdf import render_letters, render_pdf
from tests.factories import register
from tests.test_forms import barcodes

SHARED = {"appuntamento_data": "15/12/2026", "appuntamento_ora": "9:00"}


def page_texts(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@dataclass(frozen=True)
class Selection:
    database: Database
    home: Path
    running: tuple[str, str, str]  # Popescu, Nguyen, Diallo: letters allowed
    closed: str  # Kowalski, archived: a summons is refused
    hidden: str  # art. 18, registered by a cleared officer: «non trovata» for rossi


@pytest.fixture
def selection(tmp_path: Path) -> Selection:
    database = open_database(resolve(home=str(tmp_path)))
    with database.unit_of_work("admin", write=True) as uow:
        add_user(uow, "rossi", "LO-SUI", "sui_clerk", False, "Mario Rossi")
        add_user(uow, "neri", "LO-QUESTURA", "questura_officer", True, "Sara Neri")
        uow.commit()
    popescu, nguyen, kowalski, diallo = (
        register(database, surname=name).reference
        for name in ("Popescu", "Nguyễn", "Kowalski", "Diallo")
    )
    hidden = register(database, "neri", "ART18", surname="Protetta").reference
    with database.unit_of_work("rossi", write=True) as uow:
        advance(uow, popescu, "in_istruttoria", date(2026, 9, 10))
        advance(uow, kowalski, "archiviata", date(2026, 9, 10))
        uow.commit()
    return Selection(database, tmp_path, (popescu, nguyen, diallo), kowalski, hidden)


def printed_on(database: Database, ref: str, user: str = "rossi") -> list[str]:
    with database.unit_of_work(user) as uow:
        detail = views.dossier_detail(uow, ref, with_moves=False)
    return [event.note for event in detail.history if event.kind == "printed"]


def test_one_summons_per_dossier_the_refused_ones_with_their_reason(
    selection: Selection,
) -> None:
    popescu, nguyen, diallo = selection.running
    refs = [popescu, selection.closed, nguyen, selection.hidden, diallo, popescu]
    batch = bulk_letters(selection.database, "rossi", "convocazione", refs, SHARED, 20)

    assert batch.references == (popescu, nguyen, diallo)  # the order given, each once
    refused = {o.reference: o.reason for o in batch.result.refused}
    assert set(refused) == {selection.closed, selection.hidden}
    assert "la pratica è chiusa («Archiviata»" in refused[selection.closed]
    assert refused[selection.hidden] == f"pratica «{selection.hidden}» non trovata"
    assert batch.result.headline() == "3 lettere pronte, 2 rifiutate"

    assert batch.pdf is not None
    pages = page_texts(batch.pdf)
    assert len(pages) == 3
    for page, ref, surname, time in zip(
        pages,
        (popescu, nguyen, diallo),
        ("Popescu", "Nguyễn", "Diallo"),
        ("09:00", "09:20", "09:40"),
        strict=True,
    ):
        assert ref in page and surname in page
        assert f"il giorno 15/12/2026 alle ore {time}" in page
        assert "Pagina 1 di 1" in page
        assert "alle ore ," not in page and "il giorno alle" not in page
    assert all(barcodes(batch.pdf, n)["Code128"] == ref for n, ref in enumerate(batch.references))
    assert "Protetta" not in " ".join(pages) and "Kowalski" not in " ".join(pages)
    # Nothing is recorded until the PDF is printed.
    assert printed_on(selection.database, popescu) == []

    recorded = record_letters(selection.database, "rossi", batch.references, "convocazione")
    result = batch.result.after_recording(recorded)
    assert result.headline() == "3 lettere stampate, 2 rifiutate"
    assert result.summary().splitlines()[0] == "Convocazione: 3 lettere stampate, 2 rifiutate."
    assert f"- {selection.closed} (Kowalski Ștefan): la pratica è chiusa" in result.summary()
    for ref in selection.running:
        assert printed_on(selection.database, ref) == ["stampato: convocazione"]
    assert printed_on(selection.database, selection.closed) == []
    assert printed_on(selection.database, selection.hidden, "neri") == []


def test_each_letter_reads_as_the_same_letter_printed_alone(selection: Selection) -> None:
    refs = list(selection.running)
    batch = bulk_letters(selection.database, "rossi", "ricevuta", refs)
    assert batch.pdf is not None
    alone: list[str] = []
    with selection.database.unit_of_work("rossi") as uow:
        for ref in refs:
            alone += page_texts(render_pdf(forms.dossier_document(uow, "ricevuta", ref)))
    assert page_texts(batch.pdf) == alone


def test_a_long_letter_is_numbered_within_itself_and_the_next_starts_a_page() -> None:
    def letter(reference: str, paragraphs: int) -> FormDocument:
        return FormDocument(
            form="ricevuta",
            title="Ricevuta",
            letterhead=Letterhead("Prefettura di Lodi", "Sportello Unico"),
            barcode=reference,
            dated=date(2026, 12, 3),
            body=tuple(f"Paragrafo {n} " + "testo " * 80 for n in range(paragraphs)),
        )

    long, short = letter("LO-SUI/2026/0000001", 12), letter("LO-SUI/2026/0000002", 1)
    alone = len(page_texts(render_pdf(long)))
    assert alone >= 2
    data = render_letters([long, short], "Ricevuta – 2 lettere")
    pages = page_texts(data)
    assert len(pages) == alone + 1
    for number, page in enumerate(pages[:alone], 1):
        assert f"Pagina {number} di {alone}" in page
    assert "Pagina 1 di 1" in pages[-1] and pages[-1].count("Paragrafo") == 1
    codes = [barcodes(data, n)["Code128"] for n in range(alone + 1)]
    assert codes == ["LO-SUI/2026/0000001"] * alone + ["LO-SUI/2026/0000002"]
    metadata = pypdf.PdfReader(BytesIO(data)).metadata
    assert metadata is not None and metadata.title == "Ricevuta – 2 lettere"


def test_shared_values_are_checked_as_a_single_letter_checks_them() -> None:
    blank = {"appuntamento_data": " ", "appuntamento_ora": ""}
    with pytest.raises(ValidationError) as bulk:
        plan_letters("convocazione", blank)
    with pytest.raises(ValidationError) as single:
        letter_values("convocazione", blank)
    assert bulk.value.errors == single.value.errors
    assert set(bulk.value.errors) == {"appuntamento_data", "appuntamento_ora"}
    with pytest.raises(ValidationError) as own:
        plan_letters("preavviso-rigetto", {"motivi": "uguali per tutti"})
    assert "viene da ciascuna pratica" in own.value.errors["motivi"]
    with pytest.raises(ValidationError) as interval:
        plan_letters("convocazione", SHARED, 500)
    assert set(interval.value.errors) == {"intervallo"}
    plan = plan_letters(
        "convocazione", {"appuntamento_data": "15.12.2026", "appuntamento_ora": "23.30"}, 20
    )
    assert plan.values_for(1) == {"appuntamento_data": "15/12/2026", "appuntamento_ora": "23:50"}
    with pytest.raises(ValidationError, match="dopo la mezzanotte"):
        plan.values_for(2)


def test_a_letter_missing_its_own_data_is_refused_and_the_others_print(
    selection: Selection,
) -> None:
    """A preavviso states the parere's reasons: a dossier without them is refused."""
    batch = bulk_letters(selection.database, "rossi", "preavviso-rigetto", selection.running)
    assert batch.pdf is None
    reasons = {o.reason for o in batch.result.refused}
    assert reasons == {"mancano i motivi del rigetto (non ricavabile dalla pratica)"}


def test_the_command_prints_the_others_and_says_what_was_refused(
    selection: Selection, capsys: pytest.CaptureFixture[str]
) -> None:
    popescu, nguyen, diallo = selection.running
    output = selection.home / "convocazioni.pdf"

    def raccordo(*args: str, user: str = "rossi") -> int:
        return main(["--home", str(selection.home), "--user", user, "print", *args])

    fields = ["--field", "appuntamento_data=15/12/2026", "--field", "appuntamento_ora=09:00"]
    code = raccordo(
        "convocazione",
        *("--dossier", popescu, selection.closed),
        *("--dossier", nguyen, selection.hidden),
        *fields,
        *("--interval", "30", "-o", str(output)),
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == [str(output), "2 lettere stampate, 2 rifiutate"]
    assert err.splitlines() == [
        f"rifiutata: {selection.closed} (Kowalski Ștefan): la pratica è chiusa («Archiviata» "
        "dal 10/09/2026): la convocazione non si stampa su una pratica chiusa",
        f"rifiutata: {selection.hidden}: pratica «{selection.hidden}» non trovata",
    ]
    pages = page_texts(output.read_bytes())
    assert len(pages) == 2
    assert popescu in pages[0] and "alle ore 09:00" in pages[0]
    assert nguyen in pages[1] and "alle ore 09:30" in pages[1]
    assert printed_on(selection.database, popescu) == ["stampato: convocazione"]
    assert printed_on(selection.database, diallo) == []
    assert printed_on(selection.database, selection.closed) == []

    code = raccordo("frontespizio", "--search", "Diallo", "--dossier", nguyen, "-o", str(output))
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.splitlines()[1] == "2 lettere stampate, 0 rifiutate"
    assert len(page_texts(output.read_bytes())) == 2

    output.unlink()
    code = raccordo(
        "convocazione",
        "--dossier",
        popescu,
        nguyen,
        "--field",
        "appuntamento_data=",
        "-o",
        str(output),
    )
    out, err = capsys.readouterr()
    assert code == 1 and not output.exists() and "Traceback" not in err
    assert "errore: manca la data dell'appuntamento (non ricavabile dalla pratica)" in err
    assert "errore: manca l'ora dell'appuntamento (non ricavabile dalla pratica)" in err

    # The parere's communication is the Questura's letter: an officer of it prints it.
    code = raccordo("esito-parere", "--dossier", popescu, nguyen, "-o", str(output), user="neri")
    out, err = capsys.readouterr()
    assert code == 1 and not output.exists()
    assert err.splitlines() == [
        f"rifiutata: {popescu} (Popescu Ștefan): nessun parere espresso sulla pratica {popescu}",
        f"rifiutata: {nguyen} (Nguyễn Ștefan): nessun parere espresso sulla pratica {nguyen}",
        "errore: nessuna lettera stampata (2 rifiutate): nessun file scritto",
    ]
    assert printed_on(selection.database, nguyen) == [
        "stampato: convocazione",
        "stampato: frontespizio",
    ]


def test_on_either_database_a_refusal_keeps_the_others_and_records_only_them(
    db: Database,
) -> None:
    """The same on the embedded database and on PostgreSQL (the ``db`` fixture's two)."""
    first, closed, second = (
        register(db, surname=name) for name in ("Popescu", "Kowalski", "Diallo")
    )
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, closed.reference, "archiviata", date(2026, 9, 10))
        uow.commit()
    refs = [first.reference, closed.reference, second.reference]
    batch = bulk_letters(db, "rossi", "convocazione", refs, SHARED)
    assert batch.references == (first.reference, second.reference)
    assert [o.reference for o in batch.result.refused] == [closed.reference]
    recorded = record_letters(db, "rossi", batch.references, "convocazione")
    assert recorded.done == 2
    assert set(recorded.changes.dossier_ids) == {first.dossier_id, second.dossier_id}
    for ref in (first.reference, second.reference):
        assert printed_on(db, ref) == ["stampato: convocazione"]
    assert printed_on(db, closed.reference) == []
