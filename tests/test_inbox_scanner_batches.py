"""Scanner batches: a whole stack in one file, cut at its separator sheets and filed."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from models.documents import Document, ImportRecord
from models.services.inbox import (
    DocumentFacts,
    ImportKind,
    ImportStatus,
    document_content,
    dossier_documents,
)
from models.uow import Database
from tests.conftest import TODAY
from tests.factories import register
from tests.inbox_helpers import claim_and_process, make_processor
from tests.scan_helpers import Sheet, page_images, write_pdf, write_pdf_bytes, write_tiff


def _count(db: Database, table: type) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _documents(db: Database, dossier_id: str) -> list[DocumentFacts]:
    with db.unit_of_work("rossi") as uow:
        return dossier_documents(uow, dossier_id)


@pytest.fixture
def two_dossiers(db: Database) -> tuple[str, str, str, str]:
    first = register(db)
    second = register(db, surname="Müller", given_names="Jürgen", passport="C01X00T47")
    return first.reference, str(first.dossier_id), second.reference, str(second.dossier_id)


def _stack(first: str, second: str) -> list[Sheet]:
    return [
        Sheet(separator=first, kind="passaporto"),
        Sheet("Passaporto ROU 057123456 pagina 1"),
        Sheet("Passaporto ROU 057123456 pagina 2", upside_down=True),
        Sheet(separator=second, kind="contratto"),
        Sheet("Contratto di soggiorno Cascina Bassiana"),
        Sheet(separator=first, cover=True),  # the frontespizio is a separator too
        Sheet("Certificato di idoneità alloggiativa"),
    ]


@pytest.mark.parametrize("packing", ["pdf", "tiff"])
def test_a_scanned_stack_files_itself_by_its_separators(
    db: Database, tmp_path: Path, two_dossiers: tuple[str, str, str, str], packing: str
) -> None:
    first, first_id, second, second_id = two_dossiers
    images = page_images(db, _stack(first, second))
    inbox = tmp_path / "arrivo"
    inbox.mkdir()
    name = f"scansione_0001.{packing}"
    path = (write_pdf if packing == "pdf" else write_tiff)(inbox / name, images)
    outcome = claim_and_process(make_processor(db, inbox), path)

    assert outcome.status is ImportStatus.IMPORTED, outcome.problems
    assert outcome.kind is ImportKind.BATCH and outcome.created == 3
    assert (inbox / "importati" / name).is_file()  # the original scan is kept
    today = TODAY.isoformat()  # the clock of the tests
    mine = _documents(db, first_id)
    theirs = _documents(db, second_id)
    suffix = "." + packing
    assert sorted((d.file_name, d.kind, d.source_pages) for d in mine) == [
        (f"documento-{today}{suffix}", "", "7"),
        (f"passaporto-{today}{suffix}", "passaporto", "2-3"),
    ]
    assert [(d.file_name, d.kind, d.source_batch) for d in theirs] == [
        (f"contratto-{today}{suffix}", "contratto", name)
    ]
    passport = next(d for d in mine if d.kind == "passaporto")
    with db.unit_of_work("rossi") as uow:
        _name, data = document_content(uow, str(passport.id))
    if packing == "pdf":
        # Cut by copying pages: the scanner's JPEG images are the same bytes.
        pages = PdfReader(path.parent / "importati" / name).pages
        part = PdfReader(__import__("io").BytesIO(data)).pages
        assert len(part) == 2
        original = [img.data for p in (pages[1], pages[2]) for img in p.images]
        assert [img.data for p in part for img in p.images] == original
    else:
        from io import BytesIO

        from PIL import Image, ImageChops

        with Image.open(BytesIO(data)) as cut, Image.open(inbox / "importati" / name) as whole:
            cut.seek(1)
            whole.seek(2)
            assert cut.size == whole.size
            assert ImageChops.difference(cut.convert("L"), whole.convert("L")).getbbox() is None
    with db.sessions() as session:
        register_text = session.scalar(
            select(ImportRecord.reason).where(ImportRecord.kind == ImportKind.BATCH.value)
        )
    assert register_text is not None
    assert f"pagine 2-3 → {first} (passaporto-{today}{suffix})" in register_text
    assert f"pagina 5 → {second}" in register_text


def test_a_separator_for_an_unknown_protocol_files_nothing(
    db: Database, tmp_path: Path, two_dossiers: tuple[str, str, str, str]
) -> None:
    first, _first_id, _second, _second_id = two_dossiers
    sheets = [
        Sheet(separator=first, kind="passaporto"),
        Sheet("Passaporto"),
        Sheet(separator="LO-SUI/2026/0009999", kind="ricevuta"),
        Sheet("Ricevuta"),
    ]
    path = write_pdf(tmp_path / "lotto.pdf", page_images(db, sheets))
    outcome = claim_and_process(make_processor(db, tmp_path), path)

    assert outcome.status is ImportStatus.REJECTED
    assert _count(db, Document) == 0
    reason = (tmp_path / "scartati" / "lotto.pdf.motivo.txt").read_text(encoding="utf-8")
    assert "pagina 3: nessuna pratica con protocollo o codice domanda «LO-SUI/2026/0009999»" in (
        reason
    )
    assert (tmp_path / "scartati" / "lotto.pdf").is_file()


def test_pages_before_the_first_separator_file_nothing(
    db: Database, tmp_path: Path, two_dossiers: tuple[str, str, str, str]
) -> None:
    first = two_dossiers[0]
    sheets = [Sheet("Foglio senza pratica"), Sheet("Altro foglio"), Sheet(separator=first)]
    sheets.append(Sheet("Documento"))
    path = write_tiff(tmp_path / "lotto.tif", page_images(db, sheets))
    outcome = claim_and_process(make_processor(db, tmp_path), path)

    assert outcome.status is ImportStatus.REJECTED
    assert outcome.problems[0] == "pagine 1-2 prima del primo separatore"
    assert _count(db, Document) == 0


def test_a_dossier_the_clerk_may_not_see_files_nothing(db: Database, tmp_path: Path) -> None:
    hidden = register(db, user="neri", type_code="ART18", employer_name="")
    sheets = [Sheet(separator=hidden.reference), Sheet("Denuncia")]
    path = write_pdf(tmp_path / "lotto.pdf", page_images(db, sheets, user="neri"))
    outcome = claim_and_process(make_processor(db, tmp_path, "bianchi"), path)

    assert outcome.status is ImportStatus.REJECTED
    assert outcome.problems == (
        f"pagina 1: nessuna pratica con protocollo o codice domanda «{hidden.reference}»",
    )
    assert _count(db, Document) == 0


def test_a_separator_whose_code_is_torn_is_reported_by_page(
    db: Database, tmp_path: Path, two_dossiers: tuple[str, str, str, str]
) -> None:
    from PIL import ImageDraw

    first = two_dossiers[0]
    sheets = [Sheet(separator=first), Sheet("Documento"), Sheet(separator=first), Sheet("Altro")]
    images = page_images(db, sheets)
    torn = images[2]
    draw = ImageDraw.Draw(torn)
    width, height = torn.size
    # Marker strokes through the bars and a coffee stain on the QR code.
    for x in range(int(width * 0.2), int(width * 0.8), int(width * 0.07)):
        draw.line((x, int(height * 0.12), x + 30, int(height * 0.32)), fill=20, width=14)
    draw.ellipse((int(width * 0.38), int(height * 0.62), int(width * 0.62), int(height * 0.8)), 120)
    path = write_pdf(tmp_path / "lotto.pdf", images)
    outcome = claim_and_process(make_processor(db, tmp_path), path)

    assert outcome.status is ImportStatus.REJECTED
    assert "pagina 3: sembra un separatore, ma il suo codice non si legge" in outcome.problems
    assert _count(db, Document) == 0


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # the reading is the same
def test_a_batch_of_a_thousand_pages_is_filed_whole(db: Database, tmp_path: Path) -> None:
    from io import BytesIO

    from pypdf import PdfWriter

    references = [register(db).reference for _ in range(5)]
    sheets = [Sheet(separator=r, kind="certificato") for r in references]
    sheets += [Sheet(f"Pagina tipo {n}", upside_down=n == 1) for n in range(3)]
    # Scanned at 100 dpi to keep the test short; the benchmark reads 300 dpi pages.
    images = page_images(db, sheets, dpi=100)
    distinct = PdfReader(BytesIO(write_pdf_bytes(images, 100))).pages
    writer = PdfWriter()
    for n in range(1000):  # a separator and three pages, 250 times
        writer.add_page(distinct[(n // 4) % 5] if n % 4 == 0 else distinct[5 + n % 3])
    path = tmp_path / "lotto-grande.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    outcome = claim_and_process(make_processor(db, tmp_path), path)

    assert outcome.status is ImportStatus.IMPORTED, outcome.problems[:3]
    assert len(outcome.parts) == 250
    assert outcome.parts[-1].startswith(f"pagine 998-1000 → {references[4]}")
    assert _count(db, Document) == outcome.created


def test_the_separator_sheet_carries_its_payload_in_both_codes(
    db: Database, two_dossiers: tuple[str, str, str, str]
) -> None:
    import pypdfium2  # type: ignore[import-untyped]
    import zxingcpp

    from tests.scan_helpers import separator_pdf

    first = two_dossiers[0]
    document = pypdfium2.PdfDocument(separator_pdf(db, first, "certificato"))
    image = document[0].render(scale=4).to_pil()
    codes = {c.format.name: c.text for c in zxingcpp.read_barcodes(image)}
    expected = f"RACCORDO:SEP:1:{first}:certificato"
    assert codes == {"QRCode": expected, "Code128": expected}
    text = document[0].get_textpage().get_text_range()
    assert first in text and "Țurcanu Ștefan" in text and "Certificato" in text


def test_payloads_are_read_strictly() -> None:
    from models.separators import Separator, parse, payload

    assert parse(payload("LO-SUI/2026/0000123", "ricevuta")) == Separator(
        "LO-SUI/2026/0000123", "ricevuta"
    )
    assert parse("raccordo:LO-SUI/2026/0000123|ALI-1|uuid") == Separator("LO-SUI/2026/0000123")
    assert parse("LO-SUI/2026/0000123") is None  # a letter's barcode is not a separator
    assert parse("https://example.org") is None
    for unreadable in ("RACCORDO:SEP:2:LO-SUI/2026/1", "RACCORDO:SEP:1:LO-SUI/2026/1:visto"):
        with pytest.raises(ValueError):
            parse(unreadable)
    with pytest.raises(ValueError):
        payload("LO-SUI/2026/1", "visto")


def test_the_documents_tab_shows_the_kind_and_the_source_batch(qapp: object) -> None:
    from ui.documents_tab import document_cells

    row = DocumentFacts(
        id=uuid.uuid4(),
        file_name="passaporto-2026-12-03.pdf",
        size=2048,
        media_type="application/pdf",
        sha256="0" * 64,
        received_at=datetime(2026, 12, 3, 10, 0, tzinfo=UTC),
        received_by="rossi",
        kind="passaporto",
        source_batch="scansione_0001.pdf",
        source_pages="2-3",
        downloaded=True,
    )
    cells = document_cells(row)
    assert cells[1] == "Passaporto"
    assert cells[-1] == "scansione_0001.pdf, pages 2-3"  # Italian with the translator
    named = document_cells(replace(row, kind="", source_batch="", source_pages=""))
    assert named[1] == "" and named[-1] == ""
