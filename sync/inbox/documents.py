"""Scanned documents: which dossier a file name names, and whether the bytes fit the name.

``<protocol or codice domanda>__<anything>.<ext>``; a protocol's ``/`` is written ``-``
(``LO-SUI-2026-0000123__passaporto.pdf`` is ``LO-SUI/2026/0000123``).
"""

from __future__ import annotations

import re
from pathlib import Path

from sync.inbox.files import DOCUMENT_TYPES

SEPARATOR = "__"
_PROTOCOL = re.compile(r"^([A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)-(\d{4})-(\d{1,9})$")
_SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/tiff": (b"II*\x00", b"MM\x00*"),
}
_LABELS = {
    "application/pdf": "un PDF",
    "image/jpeg": "un'immagine JPEG",
    "image/png": "un'immagine PNG",
    "image/tiff": "un'immagine TIFF",
}


def references(file_name: str) -> list[str]:
    """What the name points at, most specific first; ValueError (Italian) when malformed."""
    stem = Path(file_name).stem
    ref, separator, rest = stem.partition(SEPARATOR)
    ref = ref.strip()
    if not separator or not ref or not rest.strip():
        raise ValueError(
            "nome del file non conforme: atteso <protocollo o codice domanda>__<descrizione>"
            f"{Path(file_name).suffix.lower()} (es. LO-SUI-2026-0000123__passaporto.pdf)"
        )
    match = _PROTOCOL.match(ref)
    if match is None:
        return [ref]
    office, year, number = match.groups()
    return [f"{office}/{year}/{number}", ref]


def media_type(file_name: str) -> str:
    return DOCUMENT_TYPES[Path(file_name).suffix.lower()]


def content_problem(file_name: str, data: bytes) -> str | None:
    """Why the bytes are not what the extension says, or None."""
    kind = media_type(file_name)
    if not data:
        return "file vuoto"
    if not data.startswith(_SIGNATURES[kind]):
        return f"il contenuto non è {_LABELS[kind]} come dice l'estensione"
    return None
