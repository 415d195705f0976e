"""Scanned documents from the inbox: attached by name, stored once per content."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from models.documents import Document, DocumentContent
from models.services.inbox import ImportStatus, document_content, dossier_documents
from models.uow import Database
from tests.factories import register
from tests.inbox_helpers import claim_and_process, make_processor, pdf_bytes


def _drop(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _count(db: Database, table: type) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_a_scan_named_by_protocol_is_attached_to_that_dossier(db: Database, tmp_path: Path) -> None:
    dossier = register(db)
    assert dossier.reference == "LO-SUI/2026/0000001"
    processor = make_processor(db, tmp_path)
    data = pdf_bytes("passaporto")
    outcome = claim_and_process(
        processor, _drop(tmp_path, "LO-SUI-2026-0000001__passaporto.pdf", data)
    )
    assert outcome.status is ImportStatus.IMPORTED
    assert outcome.dossier == "LO-SUI/2026/0000001"
    assert (tmp_path / "importati" / "LO-SUI-2026-0000001__passaporto.pdf").is_file()
    with db.unit_of_work("rossi") as uow:
        listed = dossier_documents(uow, str(dossier.dossier_id))
        assert [d.file_name for d in listed] == ["LO-SUI-2026-0000001__passaporto.pdf"]
        assert listed[0].media_type == "application/pdf" and listed[0].received_by == "rossi"
        _name, content = document_content(uow, str(listed[0].id))
    assert content == data


def test_a_scan_named_by_codice_domanda_and_images(db: Database, tmp_path: Path) -> None:
    register(db, application_code="ALI-2026-77")
    processor = make_processor(db, tmp_path)
    jpeg = b"\xff\xd8\xff\xe0" + b"x" * 100
    tiff = b"II*\x00" + b"y" * 100
    for name, data in (("ALI-2026-77__foto.JPG", jpeg), ("ali-2026-77__contratto.tif", tiff)):
        outcome = claim_and_process(processor, _drop(tmp_path, name, data))
        assert outcome.status is ImportStatus.IMPORTED, outcome.problems
    assert _count(db, Document) == 2


def test_the_same_content_is_stored_once(db: Database, tmp_path: Path) -> None:
    first, second = register(db), register(db, passport="YA1234567")
    processor = make_processor(db, tmp_path)
    data = pdf_bytes("modulo comune", 4096)
    for name in (
        "LO-SUI-2026-0000001__modulo.pdf",
        "LO-SUI-2026-0000001__modulo-di-nuovo.pdf",
        "LO-SUI-2026-0000002__modulo.pdf",
    ):
        claim_and_process(processor, _drop(tmp_path, name, data))
    assert _count(db, DocumentContent) == 1
    assert _count(db, Document) == 2  # once per dossier; the second drop changed nothing
    with db.unit_of_work("rossi") as uow:
        assert len(dossier_documents(uow, str(first.dossier_id))) == 1
        assert len(dossier_documents(uow, str(second.dossier_id))) == 1


def test_a_document_for_an_unknown_protocol_is_set_aside(db: Database, tmp_path: Path) -> None:
    processor = make_processor(db, tmp_path)
    outcome = claim_and_process(
        processor, _drop(tmp_path, "LO-SUI-2026-0009999__passaporto.pdf", pdf_bytes())
    )
    assert outcome.status is ImportStatus.REJECTED
    reason = (tmp_path / "scartati" / "LO-SUI-2026-0009999__passaporto.pdf.motivo.txt").read_text(
        "utf-8"
    )
    assert "nessuna pratica con protocollo o codice domanda «LO-SUI-2026-0009999»" in reason
    assert _count(db, Document) == 0 and _count(db, DocumentContent) == 0


def test_restricted_dossiers_are_unknown_to_those_without_clearance(
    db: Database, tmp_path: Path
) -> None:
    restricted = register(db, user="neri", type_code="ART18", employer_name="")
    name = restricted.reference.replace("/", "-") + "__denuncia.pdf"
    outcome = claim_and_process(
        make_processor(db, tmp_path, "bianchi"), _drop(tmp_path, name, pdf_bytes())
    )
    assert outcome.status is ImportStatus.REJECTED


def test_badly_named_or_mislabelled_files_are_set_aside(db: Database, tmp_path: Path) -> None:
    register(db)
    processor = make_processor(db, tmp_path)
    cases = {
        "scansione senza riferimento.jpg": "nome del file non conforme",
        # A PDF without a reference is read as a scanner batch: its bytes first.
        "scansione senza riferimento.pdf": "il contenuto non è un PDF",
        "LO-SUI-2026-0000001__finto.pdf": "il contenuto non è un PDF",
        "LO-SUI-2026-0000001__lettera.docx": "tipo di file non accettato",
    }
    for name, expected in cases.items():
        outcome = claim_and_process(processor, _drop(tmp_path, name, b"PK\x03\x04 not a pdf"))
        assert outcome.status is ImportStatus.REJECTED
        assert expected in outcome.problems[0]
        assert (tmp_path / "scartati" / name).is_file()
    assert _count(db, Document) == 0
