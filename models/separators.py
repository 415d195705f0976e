"""What a separator sheet's barcode says: which dossier the next pages belong to, and
optionally what kind of document they are.

The payload is versioned and cannot be mistaken for anything else printed on paper:
``RACCORDO:SEP:1:LO-SUI/2026/0000123:passaporto`` (the kind may be left out). The cover
sheet (frontespizio) is a separator too: its QR code ``raccordo:<protocol>|…`` names
the dossier. A letter's plain Code 128 of the protocol is *not* one, so a scanned
letter stays inside the document it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = "RACCORDO:SEP:"
VERSION = "1"
COVER_PREFIX = "raccordo:"  # the frontespizio's QR code (reports.forms)
# The kinds a separator may name, and how a part filed without one is called.
DOCUMENT_KINDS = ("passaporto", "contratto", "certificato", "ricevuta", "altro")
NO_KIND = "documento"


@dataclass(frozen=True)
class Separator:
    reference: str  # protocol (or codice domanda) of the dossier
    kind: str = ""  # one of DOCUMENT_KINDS, or "" when the sheet names none


def payload(reference: str, kind: str = "") -> str:
    if kind and kind not in DOCUMENT_KINDS:
        raise ValueError(f"tipo di documento «{kind}» sconosciuto ({', '.join(DOCUMENT_KINDS)})")
    text = f"{PREFIX}{VERSION}:{reference}"
    return f"{text}:{kind}" if kind else text


def parse(text: str) -> Separator | None:
    """The separator a barcode's text names; None for any other barcode.

    ValueError (Italian) for a Raccordo separator this version cannot read (a newer
    version, an unknown kind): the page is one, and guessing would misfile it.
    """
    text = text.strip()
    if text.startswith(COVER_PREFIX):
        reference = text[len(COVER_PREFIX) :].split("|", 1)[0].strip()
        return Separator(reference) if reference else None
    if not text.upper().startswith(PREFIX):
        return None
    version, _, rest = text[len(PREFIX) :].partition(":")
    if version != VERSION:
        raise ValueError(f"separatore di una versione sconosciuta ({version or '—'})")
    reference, _, kind = rest.partition(":")
    reference, kind = reference.strip(), kind.strip().lower()
    if not reference:
        raise ValueError("separatore senza protocollo")
    if kind and kind not in DOCUMENT_KINDS:
        raise ValueError(f"separatore con un tipo di documento sconosciuto («{kind}»)")
    return Separator(reference, kind)
