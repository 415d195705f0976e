"""Reading the text of documents filed from scanner batches, in the background.

Each PDF part gets its text layer read (pypdf); where OCRmyPDF and Tesseract with Italian
are installed, it is first OCRed into an archived PDF/A copy (kept beside the original)
whose text is read instead. The inbox's watcher calls ``read_texts`` after each pass, so
filing a batch never waits for it.
"""

from __future__ import annotations

import io
import logging
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from models.services.document_text import store_text, waiting_for_text
from models.uow import Database
from sync.inbox.ocr_tools import LANGUAGE, OcrTools, find_ocr_tools

log = logging.getLogger(__name__)
OCR_TIMEOUT_SECONDS = 600
PER_PASS = 5  # documents read per pass of the watcher


def pdf_text(data: bytes) -> str:
    """The words of a PDF's text layer ("" when it has none or cannot be read)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        log.info("text layer unreadable: %s", error)
        return ""


def ocr(tools: OcrTools, data: bytes) -> bytes | None:
    """An archived PDF/A copy with the pages' text recognised (Italian); None on failure.
    Pages that already have text are kept as they are."""
    assert tools.ocrmypdf is not None
    with tempfile.TemporaryDirectory(prefix="raccordo-ocr-") as folder:
        source, target = Path(folder) / "originale.pdf", Path(folder) / "pdfa.pdf"
        source.write_bytes(data)
        argv = [
            tools.ocrmypdf,
            "--language",
            LANGUAGE,
            "--output-type",
            "pdfa",
            "--skip-text",
            "--rotate-pages",
            "--deskew",
            "--quiet",
            str(source),
            str(target),
        ]
        try:
            done = subprocess.run(
                argv, capture_output=True, text=True, timeout=OCR_TIMEOUT_SECONDS, check=False
            )
        except (OSError, subprocess.SubprocessError) as error:
            log.warning("OCR failed: %s", error)
            return None
        if done.returncode != 0 or not target.is_file():
            log.warning("OCR failed (%s): %s", done.returncode, done.stderr.strip()[-500:])
            return None
        return target.read_bytes()


class TextReader:
    """Reads the waiting documents as ``username``; the tools are looked for once."""

    def __init__(self, database: Database, username: str, tools: OcrTools | None = None) -> None:
        self.database = database
        self.username = username
        self.tools = tools

    def read_texts(self, limit: int = PER_PASS) -> int:
        """Reads up to ``limit`` waiting documents; how many were read."""
        if self.tools is None:
            self.tools = find_ocr_tools()
        with self.database.unit_of_work(self.username) as uow:
            waiting = waiting_for_text(uow, limit)
        for item in waiting:
            archive = ocr(self.tools, item.data) if self.tools.ready else None
            text = pdf_text(archive if archive is not None else item.data)
            with self.database.unit_of_work(self.username, write=True) as uow:
                store_text(uow, item.document_id, text, archive)
                uow.commit()
            log.info("inbox: text of %s read (%d characters)", item.file_name, len(text))
        return len(waiting)
