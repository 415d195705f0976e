"""Printed forms, read back as a person and a scanner would: text, fonts, barcodes."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pypdf
import pypdfium2  # type: ignore[import-untyped]
import pytest
import zxingcpp

from desktop.cli.main import main
from desktop.settings import print_setup
from models.services.admin import set_office
from models.services.workflow import advance, record_parere
from models.uow import Database
from reports import forms
from reports.documents import FormDocument, Letterhead, Table
from reports.form_list import FORMS
from reports.pdf import render_pdf
from reports.wording import TemplateError, fill, template_path
from tests.factories import register

NAMES = {
    "surname": "Țurcanu-Ağça",
    "given_names": "Ștefan Łukasz Nguyễn Thị Minh Øyvind",
    "birth_place": "Chișinău",
    "employer_name": "Cascina Đurić & Żółć srl",
}
REASONS = "Condanna definitiva del datore di lavoro per intermediazione illecita."


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def pdf_text(data: bytes) -> str:
    """The text of every page, with line breaks and runs of spaces as one space."""
    reader = pypdf.PdfReader(BytesIO(data))
    return _nfc(" ".join(" ".join(page.extract_text().split()) for page in reader.pages))


def barcodes(data: bytes, page: int = 0) -> dict[str, str]:
    image = pypdfium2.PdfDocument(data)[page].render(scale=4).to_pil()
    return {code.format.name: code.text for code in zxingcpp.read_barcodes(image)}


def font_files(data: bytes) -> list[tuple[str, bool]]:
    """Every font the pages use: its name and whether its TrueType program is embedded."""
    found = []
    for page in pypdf.PdfReader(BytesIO(data)).pages:
        resources: Any = page["/Resources"].get_object()
        fonts: Any = resources.get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found.append((str(font["/BaseFont"]), embedded))
    return found


@pytest.fixture
def office_data(db: Database) -> Database:
    with db.unit_of_work("admin", write=True) as uow:
        set_office(
            uow,
            "LO-SUI",
            {
                "address": "Corso Vittorio Emanuele II 29, 26900 Lodi",
                "pec": "protocollo.preflo@pec.interno.it",
                "signatory": "Dott.ssa Giulia Bassi",
                "responsabile": "Dott. Marco Ferrari",
            },
        )
        set_office(uow, "LO-QUESTURA", {"pec": "immig.quest.lo@pecps.poliziadistato.it"})
        uow.commit()
    return db


@pytest.fixture
def dossier(office_data: Database) -> str:
    """A work permit with every kind of diacritic, a parere with obstacles given."""
    db = office_data
    ref = register(
        db, application_code="P-LO-2026-000123", quota_assigned_on="2026-09-05", **NAMES
    ).reference
    with db.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "in_istruttoria", date(2026, 9, 10))
        advance(uow, ref, "parere_richiesto", date(2026, 9, 11))
        uow.commit()
    with db.unit_of_work("bianchi", write=True) as uow:
        record_parere(uow, ref, "motivi_ostativi", REASONS, date(2026, 10, 1))
        uow.commit()
    return ref


EXTRA = {
    "convocazione": {"appuntamento_data": "02/12/2026", "appuntamento_ora": "10:30"},
    "richiesta-integrazione": {"documenti": "Contratto di soggiorno firmato"},
}
LETTERS = [name for name, spec in FORMS.items() if spec.kind == "letter"]


# Who issues each letter on a SUI dossier (models.services.letter_rules): its staff print it.
ISSUER = {"esito-parere": "bianchi"}


def letter(db: Database, form: str, ref: str, home: Path | None = None, **extra: str) -> bytes:
    with db.unit_of_work(ISSUER.get(form, "rossi")) as uow:
        setup = print_setup(home) if home is not None else None
        document = forms.dossier_document(uow, form, ref, setup, EXTRA.get(form, {}) | extra)
    return render_pdf(document)


@pytest.mark.parametrize("form", LETTERS)
def test_letter_has_letterhead_reference_names_and_barcode(
    db: Database, dossier: str, form: str
) -> None:
    data = letter(db, form, dossier)
    text = pdf_text(data)
    for value in [dossier, "P-LO-2026-000123", "art. 22 TUI", "Pagina 1 di 1"]:
        assert value in text
    for value in (NAMES["surname"], NAMES["given_names"]):
        assert _nfc(value) in text, value
    sender = "Questura di Lodi" if form == "esito-parere" else "Prefettura"
    assert sender in text
    assert barcodes(data)["Code128"] == dossier
    metadata = pypdf.PdfReader(BytesIO(data)).metadata
    assert metadata is not None
    assert metadata.title == FORMS[form].title
    assert dossier in (metadata.subject or "")
    assert "Lodi" in (metadata.author or "")


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ("frontespizio", ["Chișinău", "Cascina Đurić & Żółć srl (00743110157)"]),
        ("ricevuta", ["Dott. Marco Ferrari", "presentata la domanda"]),
        ("richiesta-parere", ["Ufficio Immigrazione", "parere entro il"]),
        ("esito-parere", ["MOTIVI OSTATIVI", REASONS, "01/10/2026"]),
        ("convocazione", ["02/12/2026", "10:30", "Corso Vittorio Emanuele II 29"]),
        ("richiesta-integrazione", ["Contratto di soggiorno firmato", "è sospeso"]),
        # 23/11/2026 + 10 days = Thursday 3 December 2026, a working day.
        ("preavviso-rigetto", [REASONS, "entro il 03/12/2026", "10-bis", "PEC"]),
    ],
)
def test_letter_states_what_the_form_is_for(
    db: Database, dossier: str, form: str, expected: list[str]
) -> None:
    text = pdf_text(letter(db, form, dossier))
    for value in expected:
        assert value in text, value


def test_preavviso_window_rolls_past_a_holiday(db: Database, dossier: str, clock: Any) -> None:
    clock.today = date(2026, 11, 27)  # + 10 = Monday 7 December (Sant'Ambrogio is Milan's)
    text = pdf_text(letter(db, "preavviso-rigetto", dossier))
    assert "entro il 07/12/2026" in text
    clock.today = date(2026, 11, 28)  # + 10 = 8 December, Immacolata: next working day
    text = pdf_text(letter(db, "preavviso-rigetto", dossier))
    assert "entro il 09/12/2026" in text


def test_fonts_are_embedded_truetype_never_the_builtin_ones(db: Database, dossier: str) -> None:
    for form in ("frontespizio", "preavviso-rigetto"):
        fonts = font_files(letter(db, form, dossier))
        assert fonts
        assert all(embedded for _name, embedded in fonts), fonts
        assert not any("Helvetica" in name or "Times" in name for name, _ in fonts)


def test_cover_sheet_has_a_qr_code_with_the_protocol(db: Database, dossier: str) -> None:
    codes = barcodes(letter(db, "frontespizio", dossier))
    assert dossier in codes["QRCode"]
    assert codes["Code128"] == dossier


def test_convocazione_needs_date_and_time(db: Database, dossier: str) -> None:
    from models.errors import ValidationError

    with db.unit_of_work("rossi") as uow, pytest.raises(ValidationError) as error:
        forms.dossier_document(uow, "convocazione", dossier)
    assert "appuntamento_data" in str(error.value)


def test_template_of_the_workstation_overrides_the_default(
    db: Database, dossier: str, tmp_path: Path
) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "ricevuta.txt").write_text(
        "Oggetto: ricevuta personalizzata\n\nRicevuto da {cognome} {{in contanti}}.\n",
        encoding="utf-8",
    )
    assert template_path("ricevuta", print_setup(tmp_path)).parent == tmp_path / "templates"
    text = pdf_text(letter(db, "ricevuta", dossier, tmp_path))
    assert "ricevuta personalizzata" in text
    assert "Ricevuto da Țurcanu-Ağça {in contanti}." in text
    other = pdf_text(letter(db, "frontespizio", dossier, tmp_path))
    assert "Fascicolo della pratica" in other  # the other forms keep Raccordo's text


def test_unknown_placeholder_is_a_clear_italian_error(
    db: Database, dossier: str, tmp_path: Path
) -> None:
    (tmp_path / "templates").mkdir()
    path = tmp_path / "templates" / "ricevuta.txt"
    path.write_text("Oggetto: prova\n\nGentile {cognomen},\n", encoding="utf-8")
    with pytest.raises(TemplateError) as error:
        letter(db, "ricevuta", dossier, tmp_path)
    message = str(error.value)
    assert str(path) in message
    assert "riga 3" in message
    assert "segnaposto {cognomen} sconosciuto" in message
    assert "cognome" in message  # the list of those available


def test_fill_escapes_and_rejects_stray_braces() -> None:
    assert fill("{a} {{x}} {a}", {"a": "Ł"}) == "Ł {x} Ł"
    with pytest.raises(TemplateError, match="parentesi graffa isolata"):
        fill("costo { 3", {})


def test_every_default_template_fills_with_its_form(db: Database, dossier: str) -> None:
    for form in LETTERS:
        assert letter(db, form, dossier).startswith(b"%PDF")


def test_distinta_lists_every_dossier_over_pages(office_data: Database) -> None:
    refs = [
        register(office_data, surname=f"Nguyễn{n}", given_names="Thị Minh").reference
        for n in range(45)
    ]
    with office_data.unit_of_work("rossi") as uow:
        document = forms.transmittal_document(uow, refs)
    data = render_pdf(document)
    text = pdf_text(data)
    assert set(re.findall(r"LO-SUI/2026/\d{7}", text)) == set(refs)
    assert "Nguyễn44 Thị Minh" in text
    pages = len(pypdf.PdfReader(BytesIO(data)).pages)
    assert pages > 1
    assert f"Pagina {pages} di {pages}" in text
    assert "Ricevuto da: Ufficio Immigrazione" in text
    assert barcodes(data, page=pages - 1)["Code128"] == document.barcode


def test_scadenzario_lists_exactly_the_dossiers_due(office_data: Database) -> None:
    db = office_data

    def conversion(filed: str) -> str:
        return register(db, type_code="CONVERSIONE", filed_on=filed).reference

    # 60 days from filing; today is 23/11/2026.
    overdue = [conversion("2026-09-01"), conversion("2026-09-20")]  # 31/10, 19/11
    due = [conversion("2026-09-27")]  # 26/11, within 7 days
    later = [conversion("2026-10-20")]  # 19/12
    with db.unit_of_work("rossi") as uow:
        document = forms.worklist_document(uow, "LO-SUI", 7)
    text = pdf_text(render_pdf(document))
    assert set(re.findall(r"LO-SUI/2026/\d{7}", text)) == set(overdue + due)
    assert later[0] not in text
    assert "scaduta da 23 gg" in text
    assert "3 pratiche" in text


def test_render_is_pure_and_breaks_long_tables_into_numbered_pages() -> None:
    head = Letterhead("Prefettura – UTG di Lodi", "SUI", signatory="Dott.ssa Bassi")
    rows = tuple((str(n), f"Øyvind {n}") for n in range(200))
    document = FormDocument(
        form="distinta-trasmissione",
        title="Distinta",
        letterhead=head,
        barcode="DT-LO-SUI-261123-AB12",
        dated=date(2026, 11, 23),
        table=Table(("N.", "Nome"), rows, (0.2, 0.8)),
    )
    text = pdf_text(render_pdf(document))
    assert "Øyvind 199" in text
    total = re.findall(r"Pagina \d+ di (\d+)", text)
    assert len(set(total)) == 1 and int(total[0]) == len(total) > 1


def test_print_command_writes_the_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def raccordo(*args: str) -> int:
        return main(["--home", str(tmp_path), "--user", "rossi", *args])

    assert main(["--home", str(tmp_path), "demo", "--dossiers", "20"]) == 0
    capsys.readouterr()
    assert raccordo("print", "--list") == 0
    assert "preavviso-rigetto" in capsys.readouterr().out
    output = str(tmp_path / "f.pdf")
    code = raccordo("print", "frontespizio", "--dossier", "LO-SUI/2026/1", "-o", output)
    assert code == 0, capsys.readouterr().err
    assert "LO-SUI/2026/0000001" in pdf_text(Path(output).read_bytes())
    assert capsys.readouterr().out.strip() == output
    assert raccordo("dossier", "show", "LO-SUI/2026/1", "--json") == 0
    history = json.loads(capsys.readouterr().out)["history"]
    printed = [e for e in history if e["kind"] == "printed"]
    assert [(e["actor"], e["office"]) for e in printed] == [("rossi", "LO-SUI")]
    assert "frontespizio" in printed[0]["note"]
    code = raccordo("print", "scadenzario", "--office", "LO-SUI", "--within", "30", "-o", output)
    assert code == 0
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "ricevuta.txt").write_text("{nessuno}", encoding="utf-8")
    code = raccordo("print", "ricevuta", "--dossier", "LO-SUI/2026/1", "-o", output)
    assert code == 1
    assert "segnaposto {nessuno} sconosciuto" in capsys.readouterr().err


def test_an_optional_passage_prints_only_with_all_its_values() -> None:
    values = {"nome": "Ana", "datore": "—", "pec": "", "trappola": "[[{nome}]]"}
    text = "{nome}[[, datore {datore}]][[, PEC {pec}]][[, nome {nome}]] {trappola}."
    assert fill(text, values) == "Ana, nome Ana [[{nome}]]."
    with pytest.raises(TemplateError, match=r"riga 2: segnaposto \{ignoto\}"):
        fill("a\n[[{ignoto}]]", values)


def test_a_letter_names_the_country_and_leaves_out_what_the_dossier_lacks(
    office_data: Database,
) -> None:
    """Without employer, place of birth and codice fiscale the request for a parere says
    nothing of them (no «datore di lavoro —»), and the nationality is a country's name."""
    ref = register(
        office_data,
        type_code="CITTADINANZA",
        nationality="PHL",
        employer_name="",
        employer_fiscal_code="",
        employer_pec="",
    ).reference
    text = pdf_text(letter(office_data, "richiesta-parere", ref))
    assert "cittadinanza Filippine (PHL), passaporto 057123456." in text
    assert "datore" not in text and "codice fiscale" not in text
    assert "—" not in text.split("Oggetto")[1]


def test_demo_letters_carry_a_letterhead_and_keep_a_configured_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A demo letter shows no «—» where the office's address, PEC or responsabile go,
    and the demo never overwrites what the administrator set."""
    home = ["--home", str(tmp_path)]
    assert main([*home, "init"]) == 0
    pec = ["office", "set", "LO-SUI", "--set", "pec=protocollo.preflo@pec.interno.it"]
    assert main([*home, "--user", "admin", *pec]) == 0
    assert main([*home, "demo", "--dossiers", "20"]) == 0
    capsys.readouterr()
    output = tmp_path / "r.pdf"
    args = ["print", "ricevuta", "--dossier", "LO-SUI/2026/1", "-o", str(output)]
    assert main([*home, "--user", "rossi", *args]) == 0, capsys.readouterr().err
    text = pdf_text(output.read_bytes())
    assert "protocollo.preflo@pec.interno.it" in text
    assert "Via della Prefettura 1, Lodi" in text
    assert "procedimento —" not in text and "procedimento: —" not in text
    assert "Francesca Verdi" in text


def test_distinta_lists_a_dossier_named_twice_once(office_data: Database) -> None:
    ref = register(office_data).reference
    with office_data.unit_of_work("rossi") as uow:
        document = forms.transmittal_document(uow, [ref, ref.replace("/0000", "/")])
    assert document.table is not None
    assert len(document.table.rows) == 1


def test_esito_parere_needs_a_parere(office_data: Database) -> None:
    from models.errors import ValidationError

    ref = register(office_data).reference
    with office_data.unit_of_work("bianchi") as uow, pytest.raises(ValidationError) as error:
        forms.dossier_document(uow, "esito-parere", ref)
    assert "nessun parere espresso" in str(error.value)


def test_logo_of_the_workstation_prints_in_the_letterhead(
    db: Database, dossier: str, tmp_path: Path
) -> None:
    from PIL import Image

    (tmp_path / "templates").mkdir()
    logo = BytesIO()
    Image.new("RGB", (120, 80), (20, 60, 140)).save(logo, format="PNG")
    (tmp_path / "templates" / "logo-LO-SUI.png").write_bytes(logo.getvalue())
    data = letter(db, "ricevuta", dossier, tmp_path)
    page: Any = pypdf.PdfReader(BytesIO(data)).pages[0]
    images = page["/Resources"].get_object().get("/XObject", {})
    assert any(x.get_object()["/Subtype"] == "/Image" for x in images.values())
    assert "/XObject" not in letter(db, "ricevuta", dossier).decode("latin-1")
