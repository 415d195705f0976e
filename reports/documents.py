"""What a printed form contains, as plain data: the renderer draws it, nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Letterhead:
    """The issuing office, as its ``offices`` row says."""

    administration: str
    office: str
    address: str = ""
    pec: str = ""
    signatory: str = ""
    responsabile: str = ""
    logo: bytes | None = None  # PNG or JPEG


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # shares of the text width, summing to 1


@dataclass(frozen=True)
class SeparatorSheet:
    """One separator sheet: the dossier a scanned stack's next pages belong to."""

    payload: str  # what its barcode and QR code say (models.separators)
    reference: str
    name: str  # the applicant, in large print for the clerk who sorts the stack
    kind: str = ""  # the document kind it names, or ""


@dataclass(frozen=True)
class FormDocument:
    form: str  # e.g. "preavviso-rigetto"
    title: str  # heading printed under the letterhead and PDF title
    letterhead: Letterhead
    barcode: str  # the protocol number, as a Code 128 on every page
    dated: date
    reference: tuple[tuple[str, str], ...] = ()  # protocol, codice domanda, procedure…
    recipient: tuple[str, ...] = ()  # address block lines
    body: tuple[str, ...] = ()  # paragraphs of the filled template
    facts: tuple[tuple[str, str], ...] = ()  # label/value summary (cover sheet)
    table: Table | None = None
    qr: str | None = None  # cover sheet only
    signatures: tuple[str, ...] = ()  # captions of signature boxes; empty: the signatory
    subject: str = ""  # PDF metadata
    dossiers: tuple[str, ...] = ()  # references of the dossiers it concerns, each once
    sheets: tuple[SeparatorSheet, ...] = ()  # separatore only: one page each
