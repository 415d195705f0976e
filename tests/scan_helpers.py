"""Paper stacks as an office scanner delivers them: printed separator sheets and
documents, rasterised at 200 dpi in grey with noise, a slight skew and a page upside
down, packed as one PDF or one multi-page TIFF."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]
from PIL import Image, ImageChops
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from models.errors import NotFound
from models.separators import payload
from models.uow import Database
from reports.documents import FormDocument, SeparatorSheet
from reports.forms import dossier_document, letterhead, separator_document
from reports.pdf import render_pdf

DPI = 200


@dataclass(frozen=True)
class Sheet:
    """One sheet of the stack: a separator (``separator`` names the dossier) or a page of
    a document, whose text says what it is."""

    text: str = ""
    separator: str = ""  # a dossier reference
    kind: str = ""
    cover: bool = False  # the dossier's frontespizio instead of a separator
    upside_down: bool = False


def separator_pdf(db: Database, reference: str, kind: str = "", user: str = "rossi") -> bytes:
    with db.unit_of_work(user) as uow:
        try:
            document = separator_document(uow, [reference], kind)
        except NotFound:  # a sheet for a dossier that does not exist (or not here)
            document = FormDocument(
                form="separatore",
                title="Foglio separatore",
                letterhead=letterhead(uow.actor.office, None),
                barcode=payload(reference, kind),
                dated=uow.today,
                sheets=(SeparatorSheet(payload(reference, kind), reference, "", kind),),
            )
        return render_pdf(document)


def cover_pdf(db: Database, reference: str, user: str = "rossi") -> bytes:
    with db.unit_of_work(user) as uow:
        return render_pdf(dossier_document(uow, "frontespizio", reference))


def document_pdf(text: str) -> bytes:
    """A typed page: a heading and a paragraph of text, as a contract or certificate."""
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(25 * mm, 270 * mm, text)
    canvas.setFont("Helvetica", 10)
    for line in range(40):
        canvas.drawString(25 * mm, (255 - line * 5.5) * mm, f"{text} – riga {line + 1} " * 3)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def raster(pdf: bytes, *, seed: int, upside_down: bool = False, dpi: int = DPI) -> Image.Image:
    """The page as the scanner sees it: grey, noisy, turned by 2-3 degrees."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    rng = random.Random(seed)
    angle = rng.uniform(2.0, 3.0) * rng.choice((-1, 1)) + (180 if upside_down else 0)
    image = image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=235)
    paper = ImageChops.multiply(image, Image.new("L", image.size, 240))  # not quite white
    return ImageChops.add(paper, Image.effect_noise(image.size, 18), 1.0, -128)


def page_images(
    db: Database, sheets: Sequence[Sheet], dpi: int = DPI, user: str = "rossi"
) -> list[Image.Image]:
    cache: dict[tuple[str, str, bool, str], bytes] = {}
    images = []
    for number, sheet in enumerate(sheets):
        key = (sheet.separator, sheet.kind, sheet.cover, sheet.text)
        if key not in cache:
            if sheet.cover:
                cache[key] = cover_pdf(db, sheet.separator, user)
            elif sheet.separator:
                cache[key] = separator_pdf(db, sheet.separator, sheet.kind, user)
            else:
                cache[key] = document_pdf(sheet.text)
        images.append(raster(cache[key], seed=number, upside_down=sheet.upside_down, dpi=dpi))
    return images


def write_pdf(path: Path, images: Sequence[Image.Image], dpi: int = DPI) -> Path:
    """As a scanner's PDF: one JPEG image per page."""
    images[0].save(path, "PDF", save_all=True, append_images=list(images[1:]), resolution=dpi)
    return path


def write_pdf_bytes(images: Sequence[Image.Image], dpi: int = DPI) -> bytes:
    buffer = BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=list(images[1:]), resolution=dpi)
    return buffer.getvalue()


def write_tiff(path: Path, images: Sequence[Image.Image], dpi: int = DPI) -> Path:
    images[0].save(
        path,
        "TIFF",
        save_all=True,
        append_images=list(images[1:]),
        compression="tiff_deflate",
        dpi=(dpi, dpi),
    )
    return path
