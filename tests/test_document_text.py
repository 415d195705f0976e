"""The text of documents filed from scanner batches: read in the background (the PDF's
text layer, or OCR where OCRmyPDF and Tesseract with Italian are installed, with an
archived PDF/A copy beside the original) and found from the main search box."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from sqlalchemy import select

from models.documents import Document
from models.read.connection import open_reader
from models.read.dossiers import DossierReads, load_viewer
from models.read.filters import DossierFilter
from models.services.inbox import ImportStatus, dossier_documents
from models.services.queries import list_dossiers
from models.uow import Database
from sync.inbox.ocr_tools import OcrTools, find_ocr_tools
from sync.inbox.texts import TextReader
from tests.factories import register
from tests.inbox_helpers import claim_and_process, make_processor
from tests.scan_helpers import Sheet, document_pdf, page_images, separator_pdf, write_pdf

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
NO_TOOLS = OcrTools(None, "", None, "", ())
CONTRACT = "Contratto di lavoro stagionale Cascina Bassiana"


def _joined(*pdfs: bytes) -> bytes:
    writer = PdfWriter()
    for pdf in pdfs:
        for page in PdfReader(io.BytesIO(pdf)).pages:
            writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _found(db: Database, search: str) -> set[str]:
    with db.unit_of_work("rossi") as uow:
        rows = list_dossiers(uow, DossierFilter(search=search), limit=None)
    return {str(r.id) for r in rows}


def _light_found(db: Database, search: str) -> set[str]:
    """The same search through the window's first screen (``models.read``)."""
    reader = open_reader(db.engine.url.render_as_string(hide_password=False))
    assert reader is not None
    try:
        reads = DossierReads(reader, load_viewer(reader, "rossi"), db.today())
        return {str(r.id) for r in reads.list_records(DossierFilter(search=search), None)}
    finally:
        reader.close()


def test_a_part_with_a_text_layer_is_found_by_its_words(db: Database, tmp_path: Path) -> None:
    contract = register(db, application_code="ALI-2026-0001", surname="Popa")
    other = register(db, application_code="ALI-2026-0002", surname="Ionescu")
    inbox = tmp_path / "arrivo"
    inbox.mkdir()
    batch = inbox / "scansione_0001.pdf"
    batch.write_bytes(
        _joined(
            separator_pdf(db, contract.reference, "contratto"),
            document_pdf(CONTRACT),
            separator_pdf(db, other.reference, "passaporto"),
            document_pdf("Passaporto ordinario della Repubblica di Moldova n. AB1234567"),
        )
    )
    outcome = claim_and_process(make_processor(db, inbox), batch)
    assert outcome.status is ImportStatus.IMPORTED and outcome.created == 2, outcome.problems
    assert _found(db, "contratto Cascina") == set()  # not read yet: filing did not wait

    reader = TextReader(db, "rossi", NO_TOOLS)
    assert reader.read_texts() == 2
    assert reader.read_texts() == 0  # each read once

    assert _found(db, "contratto Cascina") == {str(contract.dossier_id)}
    assert _light_found(db, "contratto Cascina") == {str(contract.dossier_id)}
    assert _light_found(db, "contratto Moldova") == set()
    assert _found(db, "cascina STAGIONALE") == {str(contract.dossier_id)}  # any order, case
    assert _found(db, "contratto Moldova") == set()  # the words of one document, together
    assert _found(db, "Moldova") == {str(other.dossier_id)}
    with db.sessions() as session:
        texts = list(session.scalars(select(Document.text)))
    assert all(t and t == t.lower() for t in texts)  # folded, as searches are


@pytest.mark.skipif(
    not (shutil.which("ocrmypdf") and shutil.which("tesseract")),
    reason="OCRmyPDF e Tesseract non installati: l'OCR non si può provare qui",
)
def test_a_scanned_part_is_ocred_into_an_archived_copy_beside_it(
    db: Database, tmp_path: Path
) -> None:
    tools = find_ocr_tools()
    if not tools.ready:
        pytest.skip("Tesseract senza la lingua italiana (tesseract-ocr-ita)")
    contract = register(db, application_code="ALI-2026-0001", surname="Popa")
    inbox = tmp_path / "arrivo"
    inbox.mkdir()
    images = page_images(
        db, [Sheet(separator=contract.reference, kind="contratto"), Sheet(text=CONTRACT)]
    )
    batch = write_pdf(inbox / "scansione_0002.pdf", images)  # images only: no text layer
    outcome = claim_and_process(make_processor(db, inbox), batch)
    assert outcome.status is ImportStatus.IMPORTED, outcome.problems

    assert TextReader(db, "rossi", tools).read_texts() == 1
    assert _found(db, "contratto Cascina") == {str(contract.dossier_id)}
    with db.unit_of_work("rossi") as uow:
        documents = dossier_documents(uow, contract.reference)
    names = sorted(d.file_name for d in documents)
    assert len(names) == 2 and any(n.endswith("-pdfa.pdf") for n in names), names
    archived = next(d for d in documents if d.file_name.endswith("-pdfa.pdf"))
    assert archived.kind == "contratto" and archived.source_pages == "2"
