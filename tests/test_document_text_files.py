"""Every attached document gets its text, not only a batch's PDF parts: files filed one
by one from the inbox (``ALI-2026-0001__contratto.pdf``), a batch's TIFF parts and
photographed or scanned images (PNG, JPEG) — OCRed into an archived PDF/A copy where
OCRmyPDF and Tesseract with Italian are installed, else their PDF text layer."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from models.documents import Document
from models.errors import PermissionDenied
from models.read.filters import DossierFilter
from models.services.contents import read_content
from models.services.document_text import store_text
from models.services.inbox import ImportStatus, dossier_documents
from models.services.queries import list_dossiers
from models.uow import Database
from sync.inbox.ocr_tools import OcrTools, find_ocr_tools
from sync.inbox.texts import TextReader
from tests.factories import register
from tests.inbox_helpers import claim_and_process, make_processor
from tests.scan_helpers import Sheet, document_pdf, page_images, write_tiff

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
NO_TOOLS = OcrTools(None, "", None, "", ())
CONTRACT = "Contratto di lavoro stagionale Cascina Bassiana"
PASSPORT = "Passaporto ordinario Repubblica di Moldova"
needs_ocr = pytest.mark.skipif(
    not (shutil.which("ocrmypdf") and shutil.which("tesseract")),
    reason="OCRmyPDF e Tesseract non installati: l'OCR non si può provare qui",
)


def _found(db: Database, search: str, user: str = "rossi") -> set[str]:
    with db.unit_of_work(user) as uow:
        rows = list_dossiers(uow, DossierFilter(search=search), limit=None)
    return {str(r.id) for r in rows}


def _file(db: Database, inbox: Path, name: str, data: bytes, user: str = "rossi") -> None:
    inbox.mkdir(exist_ok=True)
    path = inbox / name
    path.write_bytes(data)
    outcome = claim_and_process(make_processor(db, inbox, user), path)
    assert outcome.status is ImportStatus.IMPORTED, outcome.problems


def _tools() -> OcrTools:
    tools = find_ocr_tools()
    if not tools.ready:
        pytest.skip("Tesseract senza la lingua italiana (tesseract-ocr-ita)")
    return tools


def _is_pdfa(data: bytes) -> bool:
    metadata = PdfReader(io.BytesIO(data)).xmp_metadata
    return metadata is not None and b"pdfaid" in metadata.stream.get_data()


def test_a_pdf_filed_on_its_own_is_found_by_its_words(db: Database, tmp_path: Path) -> None:
    contract = register(db, application_code="ALI-2026-0001", surname="Popa")
    register(db, application_code="ALI-2026-0002", surname="Ionescu")
    _file(db, tmp_path / "arrivo", "ALI-2026-0001__contratto.pdf", document_pdf(CONTRACT))
    assert _found(db, "contratto Cascina") == set()  # filing did not wait for the reading

    assert TextReader(db, "rossi", NO_TOOLS).read_texts() == 1
    assert _found(db, "contratto Cascina") == {str(contract.dossier_id)}
    assert _found(db, "bassiana stagionale") == {str(contract.dossier_id)}


def test_without_ocr_an_image_is_read_once_as_having_no_text(db: Database, tmp_path: Path) -> None:
    passport = register(db, application_code="ALI-2026-0001", surname="Popa")
    image = page_images(db, [Sheet(text=PASSPORT)])[0]
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(200, 200))
    _file(db, tmp_path / "arrivo", "ALI-2026-0001__passaporto.png", buffer.getvalue())

    reader = TextReader(db, "rossi", NO_TOOLS)
    assert reader.read_texts() == 1
    assert reader.read_texts() == 0  # not tried again at every pass
    assert _found(db, "Moldova") == set()
    with db.unit_of_work("rossi") as uow:
        names = [d.file_name for d in dossier_documents(uow, passport.reference)]
    assert names == ["ALI-2026-0001__passaporto.png"]  # no archived copy without OCR


def test_the_other_office_does_not_read_nor_write_a_documents_text(
    db: Database, tmp_path: Path
) -> None:
    """Only the office that received a document writes its text (as on the server)."""
    register(db, application_code="ALI-2026-0001", surname="Popa")
    _file(db, tmp_path / "arrivo", "ALI-2026-0001__contratto.pdf", document_pdf(CONTRACT))
    assert TextReader(db, "bianchi", NO_TOOLS).read_texts() == 0  # Questura: not theirs
    with db.sessions() as session:
        document_id = session.scalars(select(Document.id)).one()
    with db.unit_of_work("bianchi", write=True) as uow, pytest.raises(PermissionDenied):
        store_text(uow, document_id, "falso")
    assert TextReader(db, "rossi", NO_TOOLS).read_texts() == 1  # the receiving office


@needs_ocr
def test_a_tiff_batch_part_is_ocred_into_an_archived_pdfa_copy(
    db: Database, tmp_path: Path
) -> None:
    tools = _tools()
    contract = register(db, application_code="ALI-2026-0001", surname="Popa")
    other = register(db, application_code="ALI-2026-0002", surname="Ionescu")
    inbox = tmp_path / "arrivo"
    inbox.mkdir()
    images = page_images(
        db,
        [
            Sheet(separator=contract.reference, kind="contratto"),
            Sheet(text=CONTRACT),
            Sheet(separator=other.reference, kind="passaporto"),
            Sheet(text=PASSPORT, upside_down=True),  # fed the wrong way round
        ],
    )
    batch = write_tiff(inbox / "scansione_0003.tif", images)
    outcome = claim_and_process(make_processor(db, inbox), batch)
    assert outcome.status is ImportStatus.IMPORTED and outcome.created == 2, outcome.problems

    assert TextReader(db, "rossi", tools).read_texts() == 2
    assert _found(db, "contratto Cascina") == {str(contract.dossier_id)}
    assert _found(db, "passaporto Moldova") == {str(other.dossier_id)}
    with db.unit_of_work("rossi") as uow:
        documents = dossier_documents(uow, contract.reference)
        archived = [d for d in documents if d.file_name.endswith("-pdfa.pdf")]
        assert len(documents) == 2 and len(archived) == 1, [d.file_name for d in documents]
        copy = archived[0]
        assert copy.media_type == "application/pdf" and copy.kind == "contratto"
        assert copy.source_batch == "scansione_0003.tif" and copy.source_pages == "2"
    with db.sessions() as session:
        archive = read_content(session, copy.sha256)
    assert archive is not None and _is_pdfa(archive)
    assert "cascina" in (PdfReader(io.BytesIO(archive)).pages[0].extract_text() or "").lower()


@needs_ocr
def test_a_photographed_image_filed_on_its_own_is_ocred(db: Database, tmp_path: Path) -> None:
    tools = _tools()
    passport = register(db, application_code="ALI-2026-0001", surname="Popa")
    image = page_images(db, [Sheet(text=PASSPORT)])[0]
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85)  # no resolution recorded
    _file(db, tmp_path / "arrivo", "ALI-2026-0001__passaporto.jpg", buffer.getvalue())

    assert TextReader(db, "rossi", tools).read_texts() == 1
    assert _found(db, "passaporto Moldova") == {str(passport.dossier_id)}
    with db.unit_of_work("rossi") as uow:
        names = sorted(d.file_name for d in dossier_documents(uow, passport.reference))
    assert names == ["ALI-2026-0001__passaporto-pdfa.pdf", "ALI-2026-0001__passaporto.jpg"]
