"""Reading the text of attached documents, in the background.

A PDF gets its text layer read (pypdf); where OCRmyPDF and Tesseract with Italian are
installed, it is first OCRed into an archived PDF/A copy (kept beside the original) whose
text is read instead. An image (TIFF, PNG, JPEG: a batch's TIFF parts, a photographed
passport) has no text layer: with the tools it is put on PDF pages at its own resolution
and OCRed the same way; without them there is nothing to read.

``TextReader`` takes documents from the queue kept in the database (the documents whose
text is not read yet), one at a time; ``sync.inbox.text_worker`` runs it on its own
thread, and ``raccordo documents ocr`` for the backlog.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageSequence, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from models.services.document_text import PDF, pending_documents, store_text, to_read
from models.uow import Database
from sync.inbox.ocr_tools import LANGUAGE, OcrTools, find_ocr_tools

log = logging.getLogger(__name__)
OCR_TIMEOUT_SECONDS = 600
PER_PASS = 5  # documents read by one call of ``read_texts``
DEFAULT_DPI = 200  # an image that does not say its resolution: a scanner's usual one
NICE = 10  # OCR runs below the priority of the person's own work
# How sure Tesseract must be that a page is turned before OCRmyPDF turns it back: its
# default (14) left a scanned page fed upside down at 12.5 unturned, unreadable.
ROTATE_THRESHOLD = "8"


class OcrFailed(Exception):
    """OCRmyPDF did not make the copy (the message says why, in one line)."""


@dataclass(frozen=True)
class Reading:
    text: str | None  # None: nothing could be read
    archive: bytes | None  # the PDF/A copy OCR made, if it did
    problem: str = ""


def read_document(
    tools: OcrTools, data: bytes, media_type: str, cancel: threading.Event | None = None
) -> Reading:
    """The text of one document (PDF or image), OCRed where the tools are here; when OCR
    fails, a PDF's text layer is still kept, with the problem."""
    if media_type == PDF:
        if not tools.ready:
            return Reading(pdf_text(data), None)
        try:
            archive = ocr(tools, data, cancel)
        except OcrFailed as error:
            return Reading(pdf_text(data), None, f"OCR non riuscito: {error}")
        return Reading(pdf_text(archive), archive)
    if not tools.ready:
        return Reading("", None)  # an image has no text but what OCR reads
    pages = image_pdf(data)
    if pages is None:
        return Reading(None, None, "immagine illeggibile")
    try:
        archive = ocr(tools, pages, cancel)
    except OcrFailed as error:
        return Reading(None, None, f"OCR non riuscito: {error}")
    return Reading(pdf_text(archive), archive)


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


def _low_priority(argv: list[str]) -> tuple[list[str], int]:
    """The command run below normal priority: ``nice`` on Unix, a priority class on
    Windows."""
    if sys.platform == "win32":
        return argv, subprocess.BELOW_NORMAL_PRIORITY_CLASS
    if os.path.exists("/usr/bin/nice"):
        return ["/usr/bin/nice", "-n", str(NICE), *argv], 0
    return argv, 0


def ocr(tools: OcrTools, data: bytes, cancel: threading.Event | None = None) -> bytes:
    """An archived PDF/A copy with the pages' text recognised (Italian), made on one core
    at low priority; pages that already have text are kept as they are. OcrFailed when it
    cannot be made (or ``cancel`` is set: the program is stopped)."""
    assert tools.ocrmypdf is not None
    with tempfile.TemporaryDirectory(prefix="raccordo-ocr-") as folder:
        source, target = Path(folder) / "originale.pdf", Path(folder) / "pdfa.pdf"
        errors = Path(folder) / "errori.txt"
        source.write_bytes(data)
        argv, flags = _low_priority(
            [
                tools.ocrmypdf,
                "--language",
                LANGUAGE,
                "--output-type",
                "pdfa",
                "--skip-text",
                "--rotate-pages",
                "--rotate-pages-threshold",
                ROTATE_THRESHOLD,
                "--deskew",
                "--jobs",
                "1",
                "--quiet",
                str(source),
                str(target),
            ]
        )
        with errors.open("w", encoding="utf-8", errors="replace") as stderr:
            try:
                process = subprocess.Popen(
                    argv,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    creationflags=flags,
                )
            except OSError as error:
                raise OcrFailed(str(error)) from None
            code = _wait(process, cancel)
        if code != 0 or not target.is_file():
            said = errors.read_text("utf-8", errors="replace").strip().splitlines()
            reason = said[-1] if said else f"codice {code}"
            log.warning("OCR failed (%s): %s", code, "\n".join(said[-10:]))
            raise OcrFailed(reason[:200])
        return target.read_bytes()


def _wait(process: subprocess.Popen[bytes], cancel: threading.Event | None) -> int | None:
    """The program's exit code; it is stopped on ``cancel`` or after the time limit."""
    waited = 0.0
    while True:
        try:
            return process.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            waited += 0.5
        if (cancel is not None and cancel.is_set()) or waited >= OCR_TIMEOUT_SECONDS:
            process.kill()
            process.wait()
            if cancel is not None and cancel.is_set():
                raise OcrFailed("interrotto") from None
            raise OcrFailed(f"oltre {OCR_TIMEOUT_SECONDS} s") from None


@dataclass(frozen=True)
class Read:
    """What became of one document."""

    document_id: uuid.UUID
    file_name: str
    characters: int
    archived: bool
    problem: str


class TextReader:
    """Reads queued documents as ``username``, one at a time; the tools are looked for
    once. A failure on one document is recorded on it and does not stop the others."""

    def __init__(
        self,
        database: Database,
        username: str,
        tools: OcrTools | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.database = database
        self.username = username
        self.tools = tools
        self.cancel = cancel
        self._unwritable: set[uuid.UUID] = set()  # could not even record why: skip them

    def ocr_tools(self) -> OcrTools:
        if self.tools is None:
            self.tools = find_ocr_tools()
        return self.tools

    def pending(self, *, again: bool = False) -> list[uuid.UUID]:
        """The queue; ``again``: also failed documents and, with OCR here, those read
        without an archived copy."""
        tools = self.ocr_tools()
        with self.database.unit_of_work(self.username) as uow:
            found = pending_documents(uow, failed=again, without_copy=again and tools.ready)
        return [d for d in found if d not in self._unwritable]

    def read_texts(self, limit: int = PER_PASS) -> int:
        """Reads up to ``limit`` queued documents; how many were taken."""
        taken = 0
        for document_id in self.pending()[:limit]:
            if self.cancel is not None and self.cancel.is_set():
                break
            self.read_one(document_id)
            taken += 1
        return taken

    def read_one(self, document_id: uuid.UUID) -> Read | None:
        """Reads one document and stores its text (or why it failed); None when its
        bytes are not here yet."""
        with self.database.unit_of_work(self.username) as uow:
            item = to_read(uow, document_id)
        if item is None:
            self._unwritable.add(document_id)  # until the next start (or sync) brings them
            return None
        try:
            reading = read_document(self.ocr_tools(), item.data, item.media_type, self.cancel)
        except Exception as error:  # whatever one document does, the others are read
            log.exception("text of %s: reading failed", item.file_name)
            reading = Reading(None, None, f"lettura non riuscita: {error}")
        if self.cancel is not None and self.cancel.is_set():
            return None  # stopped: still queued for the next start
        try:
            with self.database.unit_of_work(self.username, write=True) as uow:
                store_text(uow, document_id, reading.text, reading.archive, reading.problem)
                uow.commit()
        except Exception:
            log.exception("text of %s: could not be stored", item.file_name)
            self._unwritable.add(document_id)
            return Read(document_id, item.file_name, 0, False, "non registrato")
        characters = len(reading.text or "")
        log.info("text of %s read (%d characters)", item.file_name, characters)
        return Read(
            document_id, item.file_name, characters, reading.archive is not None, reading.problem
        )
