"""The day's audit digest on one page, to sign and keep outside the database (as the
daily protocol register goes to conservation)."""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from models.audit import DIGEST_ZONE, Digest, normalise_anchor
from models.errors import DomainError
from reports.page import BOLD, MARGIN, PAGE_HEIGHT, PAGE_WIDTH, REGULAR, register_fonts

# How the page is used: printed at its foot, and in the guide for administrators.
USE_LINES = (
    "Conservare questo foglio fuori dal database. Per controllare che nessuna voce fino a",
    "quella indicata sia stata modificata o rimossa, eseguire (spazi ammessi):",
    "    raccordo audit verify --against <hash qui sopra>",
    "Il controllo fallisce se questo hash non è più nella catena: voci di quel giorno o",
    "precedenti sono state riscritte, o il registro è stato troncato.",
)
_HEX64 = re.compile(r"(?:[0-9a-fA-F]\s*){64}")


def read_anchor(value: str) -> str:
    """``--against``: the hash itself (spaces allowed), or a file holding the text that
    ``raccordo audit digest`` printed."""
    path = Path(value).expanduser()
    if len(value) < 300 and path.is_file():
        try:
            content = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise DomainError(f"impronta non leggibile da {path}: {error.strerror}") from None
        marked = [line for line in content.splitlines() if "SHA-256" in line]
        for text in (*marked, content):
            found = _HEX64.search(text)
            if found:
                return normalise_anchor(found.group(0))
        raise DomainError(f"nessuna impronta (64 cifre esadecimali) nel file {path}")
    return normalise_anchor(value)


def digest_lines(digest: Digest, database: str) -> list[str]:
    """The digest as plain text: what the command prints and the page shows."""
    last = (
        f"voce n. {digest.last_seq} del {digest.last_at.astimezone(DIGEST_ZONE):%d/%m/%Y %H:%M:%S}"
        if digest.last_seq is not None and digest.last_at is not None
        else "nessuna voce"
    )
    return [
        f"Registro delle modifiche di {database}",
        f"Impronta al termine del {digest.day:%d/%m/%Y} (ora italiana)",
        f"Voci fino a quel momento: {digest.entries}",
        f"Ultima voce: {last}",
        f"Hash (SHA-256): {digest.last_hash}",
    ]


def render_pdf(digest: Digest, database: str, printed_by: str, printed_at: datetime) -> bytes:
    register_fonts()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    canvas.setTitle(f"Impronta del registro delle modifiche, {digest.day:%d/%m/%Y}")
    y = PAGE_HEIGHT - MARGIN - 10 * mm
    canvas.setFont(BOLD, 15)
    canvas.drawString(MARGIN, y, "Impronta giornaliera del registro delle modifiche")
    y -= 14 * mm
    *lines, _hash_line = digest_lines(digest, database)  # the hash is drawn larger below
    canvas.setFont(REGULAR, 11)
    for line in lines:
        canvas.drawString(MARGIN, y, line)
        y -= 7 * mm
    y -= 4 * mm
    canvas.setFont(BOLD, 11)
    canvas.drawString(MARGIN, y, "Hash (SHA-256) dell'ultima voce")
    y -= 9 * mm
    canvas.setFont("Courier-Bold", 13)
    for start in (0, 32):  # two groups of 32 hex digits, to read aloud or copy by hand
        chunk = digest.last_hash[start : start + 32]
        canvas.drawString(MARGIN, y, " ".join(chunk[i : i + 4] for i in range(0, 32, 4)))
        y -= 8 * mm
    y -= 8 * mm
    canvas.setFont(REGULAR, 9.5)
    for line in USE_LINES:
        canvas.drawString(MARGIN, y, line)
        y -= 5.5 * mm
    y -= 18 * mm
    canvas.setFont(REGULAR, 10)
    canvas.drawString(
        MARGIN,
        y,
        f"Stampato il {printed_at.astimezone(DIGEST_ZONE):%d/%m/%Y %H:%M} da {printed_by}",
    )
    canvas.drawString(PAGE_WIDTH / 2 + 10 * mm, y, "Firma ______________________")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
