"""A scanner batch: one PDF or multi-page TIFF holding a whole stack of paper, cut at
every separator sheet (models.separators) into one document per dossier.

Pages are read one at a time (render, decode, free), at a modest resolution, so time
and memory follow the page, not the batch. The parts keep the scan's own pages:
a PDF is cut by copying page objects (pypdf), a TIFF by copying its frames.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pypdfium2  # type: ignore[import-untyped]
import zxingcpp
from PIL import Image, ImageSequence

from models.separators import NO_KIND, Separator, parse
from sync.inbox.documents import SEPARATOR

BATCH_SUFFIXES = {".pdf": "application/pdf", ".tif": "image/tiff", ".tiff": "image/tiff"}
# Each page is rendered once, at a modest resolution: the JPEG of a 300 dpi scan is
# decoded once whatever the scale, and a separator's QR modules are 10 pixels wide here.
READ_DPI = 150
SEPARATOR_FORMATS = (zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.QRCode)
FORMATS = zxingcpp.BarcodeFormats(SEPARATOR_FORMATS)
# An unreadable code wider than this share of the page is taken for a damaged separator.
LARGE_CODE_SHARE = 0.2


def is_batch(file_name: str) -> bool:
    """A PDF or TIFF whose name names no dossier: the scanner's own name for a stack."""
    path = Path(file_name)
    return path.suffix.lower() in BATCH_SUFFIXES and SEPARATOR not in path.stem


@dataclass(frozen=True)
class PageReading:
    number: int  # 1-based, as a clerk counts the pages
    separator: Separator | None = None
    problem: str | None = None


@dataclass
class Part:
    separator_page: int
    separator: Separator
    pages: list[int] = field(default_factory=list)  # 0-based indexes in the batch

    @property
    def page_label(self) -> str:
        first, last = self.pages[0] + 1, self.pages[-1] + 1
        return str(first) if first == last else f"{first}-{last}"

    @property
    def pages_text(self) -> str:
        return f"pagina {self.page_label}" if len(self.pages) == 1 else f"pagine {self.page_label}"


@dataclass
class Plan:
    page_count: int = 0
    parts: list[Part] = field(default_factory=list)
    separator_pages: list[int] = field(default_factory=list)  # 1-based
    problems: list[str] = field(default_factory=list)


class UnreadableBatch(Exception):
    """The file cannot be opened as what its extension says (Italian message)."""


def _decode(image: Image.Image, *, careful: bool) -> list[zxingcpp.Barcode]:
    # The fast pass does not look for codes turned by 90° nor report damaged ones: a
    # stack is fed the long way, so pages come upright or upside down.
    return zxingcpp.read_barcodes(
        image,
        formats=FORMATS,
        try_rotate=careful,
        try_downscale=careful,
        try_invert=False,
        return_errors=careful,
    )


def _width_share(code: zxingcpp.Barcode, width: int) -> float:
    xs = [p.x for p in (code.position.top_left, code.position.top_right)]
    xs += [p.x for p in (code.position.bottom_left, code.position.bottom_right)]
    return (max(xs) - min(xs)) / width if width else 0.0


def _damaged(codes: list[zxingcpp.Barcode], width: int) -> bool:
    """A large code (a separator's size) that was found but does not decode."""
    return any(
        not c.valid and c.format in SEPARATOR_FORMATS and _width_share(c, width) >= LARGE_CODE_SHARE
        for c in codes
    )


def read_page(number: int, image: Image.Image) -> PageReading:
    """What one page's codes say. A second, slower look at the same pixels only when the
    first found nothing: codes turned by 90°, and large codes that are there but do not
    decode (a damaged separator)."""
    codes = _decode(image, careful=False)
    if not codes:
        codes = _decode(image, careful=True)
        if _damaged(codes, image.width) and not any(c.valid for c in codes):
            return PageReading(
                number,
                problem=f"pagina {number}: sembra un separatore, ma il suo codice non si legge",
            )
    for code in codes:
        if not code.valid:
            continue
        try:
            separator = parse(code.text)
        except ValueError as error:
            return PageReading(number, problem=f"pagina {number}: {error}")
        if separator is not None:
            return PageReading(number, separator)
    return PageReading(number)


def _pdf_readings(path: Path) -> Iterator[PageReading]:
    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        raise UnreadableBatch("il PDF non si apre (danneggiato o protetto da password)") from None
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                yield read_page(index + 1, _render(page, READ_DPI))
            finally:
                page.close()
    finally:
        pdf.close()


def _render(page: Any, dpi: int) -> Image.Image:
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    try:
        image: Image.Image = bitmap.to_pil()
        return image.convert("L")
    finally:
        bitmap.close()


def _scaled(frame: Image.Image, dpi: float) -> Image.Image:
    grey = frame.convert("L")
    source_dpi = float((frame.info.get("dpi") or (300, 300))[0] or 300)
    if source_dpi <= dpi:
        return grey
    factor = dpi / source_dpi
    return grey.resize((max(1, round(grey.width * factor)), max(1, round(grey.height * factor))))


def _tiff_readings(path: Path) -> Iterator[PageReading]:
    try:
        image = Image.open(path)
    except (OSError, Image.DecompressionBombError):
        raise UnreadableBatch("il TIFF non si apre (danneggiato)") from None
    with image:
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            yield read_page(index + 1, _scaled(frame, READ_DPI))


def readings(path: Path) -> Iterator[PageReading]:
    if path.suffix.lower() == ".pdf":
        return _pdf_readings(path)
    return _tiff_readings(path)


def plan(path: Path) -> Plan:
    """Where the batch is cut, and every reason not to file it (with page numbers)."""
    result = Plan()
    orphans: list[int] = []
    for reading in readings(path):
        result.page_count += 1
        if reading.problem:
            result.problems.append(reading.problem)
        elif reading.separator is not None:
            result.separator_pages.append(reading.number)
            result.parts.append(Part(reading.number, reading.separator))
        elif result.parts:
            result.parts[-1].pages.append(reading.number - 1)
        else:
            orphans.append(reading.number)
    if not result.page_count:
        result.problems.append("il file non contiene pagine")
    elif not result.separator_pages and not result.problems:
        result.problems.insert(
            0,
            "nessun foglio separatore trovato: stampare i separatori (raccordo print "
            "separatore) o dare al file un nome <protocollo>__<descrizione>",
        )
    elif orphans:
        result.problems.insert(0, f"{_pages(orphans)} prima del primo separatore")
    for part in result.parts:
        if not part.pages:
            result.problems.append(
                f"pagina {part.separator_page}: separatore per {part.separator.reference} "
                "senza pagine dopo di sé"
            )
    return result


def _pages(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"pagina {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"pagine {numbers[0]}-{numbers[-1]}"
    return "pagine " + ", ".join(map(str, numbers))


def part_name(part: Part, suffix: str, received: date, taken: set[tuple[str, str]]) -> str:
    """``passaporto-2026-12-03.pdf``; ``-2``, ``-3`` … for a second one in the batch."""
    stem = f"{part.separator.kind or NO_KIND}-{received.isoformat()}"
    name, n = f"{stem}{suffix}", 1
    while (part.separator.reference, name) in taken:
        n += 1
        name = f"{stem}-{n}{suffix}"
    taken.add((part.separator.reference, name))
    return name


class Cutter:
    """Writes a part's pages as a file of the batch's own type, without re-encoding
    images: one reader of the batch for all of its parts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.is_pdf = path.suffix.lower() == ".pdf"
        self._reader: Any = None

    def part(self, pages: list[int]) -> bytes:
        return self._pdf_part(pages) if self.is_pdf else self._tiff_part(pages)

    def _pdf_part(self, pages: list[int]) -> bytes:
        from pypdf import PdfReader, PdfWriter

        if self._reader is None:
            self._reader = PdfReader(self.path)
        writer = PdfWriter()
        for index in pages:
            writer.add_page(self._reader.pages[index])
        buffer = BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    def _tiff_part(self, pages: list[int]) -> bytes:
        with Image.open(self.path) as image:
            frames = []
            for index in pages:
                image.seek(index)
                frames.append(image.copy())
            compression = image.info.get("compression", "tiff_deflate")
        # JPEG-in-TIFF would be decoded and encoded again (a loss): deflate keeps every
        # pixel; group 4 is for black-and-white pages only.
        if compression in {"raw", "jpeg", "tiff_jpeg"} or (
            compression == "group4" and frames[0].mode != "1"
        ):
            compression = "tiff_deflate"
        buffer = BytesIO()
        dpi = frames[0].info.get("dpi")
        extra = {"dpi": dpi} if dpi else {}
        frames[0].save(
            buffer,
            format="TIFF",
            save_all=True,
            append_images=frames[1:],
            compression=compression,
            **extra,
        )
        return buffer.getvalue()
