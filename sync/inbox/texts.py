"""Reading the text of attached documents, in the background.

A PDF gets its text layer read (pypdf); where OCRmyPDF and Tesseract with Italian are
installed, it is first OCRed into an archived PDF/A copy (kept beside the original) whose
text is read instead. An image (TIFF, PNG, JPEG: a batch's TIFF parts, a photographed
passport) has no text layer: with the tools it is put on PDF pages at its own resolution
and OCRed the same way; without them there is nothing to read.
"""

from __future__ import annotations

import io
import logging
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from models.services.document_text import PDF, store_text, waiting_for_text
from models.uow import Database
from sync.inbox.ocr_tools import LANGUAGE, OcrTools, find_ocr_tools

log = logging.getLogger(__name__)
OCR_TIMEOUT_SECONDS = 600
PER_PASS = 5  # documents read per pass of the watcher
DEFAULT_DPI = 200  # an image that does not say its resolution: a scanner's usual one


@dataclass(frozen=True)
class Reading:
    text: str
    archive: bytes | None  # the PDF/A copy OCR made, if it did


def read_document(tools: OcrTools, data: bytes, media_type: str) -> Reading:
    """The text of one document (PDF or image), OCRed where the tools are here."""
    if media_type == PDF:
        archive = ocr(tools, data) if tools.ready else None
        return Reading(pdf_text(archive if archive is not None else data), archive)
    if not tools.ready:
        return Reading("", None)  # an image has no text but what OCR reads
    pages = image_pdf(data)
    archive = ocr(tools, pages) if pages is not None else None
    return Reading(pdf_text(archive) if archive is not None else "", archive)


def image_pdf(data: bytes) -> bytes | None:
    """An image (each frame of a multi-page TIFF) as PDF pages at its own resolution;
    None when it cannot be read."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            dpi = image.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0] or DEFAULT_DPI
            resolution = float(dpi) if float(dpi) >= 50 else DEFAULT_DPI
            frames = [
                frame.convert("L" if frame.mode in ("1", "L", "I;16", "I") else "RGB")
                for frame in ImageSequence.Iterator(image)
            ]
    except (UnidentifiedImageError, OSError, ValueError) as error:
        log.info("image unreadable: %s", error)
        return None
    buffer = io.BytesIO()
    frames[0].save(buffer, "PDF", save_all=True, append_images=frames[1:], resolution=resolution)
    return buffer.getvalue()


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
            reading = read_document(self.tools, item.data, item.media_type)
            with self.database.unit_of_work(self.username, write=True) as uow:
                store_text(uow, item.document_id, reading.text, reading.archive)
                uow.commit()
            log.info("inbox: text of %s read (%d characters)", item.file_name, len(reading.text))
        return len(waiting)
