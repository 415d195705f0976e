"""What this installation can use: ``raccordo config check`` for IT and the bundle's smoke test.

Each check loads what Raccordo otherwise loads lazily (keyring backends, the PostgreSQL
driver, folder watching, the PDF preview, data files), so a bundle that lacks one fails
here rather than in front of a clerk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    optional: bool = False  # missing: reported, but the installation still works


def _keyring() -> str:
    from importlib import import_module
    from importlib.metadata import entry_points

    import keyring
    from keyring.backends import fail

    found = entry_points(group="keyring.backends")
    if not found:
        raise RuntimeError("nessun archivio di credenziali registrato (metadati mancanti)")
    for entry in found:
        import_module(entry.value.split(":")[0])
    backend = keyring.get_keyring()
    usable = "utilizzabile" if not isinstance(backend, fail.Keyring) else "nessuno utilizzabile"
    names = ", ".join(sorted(entry.name for entry in found))
    return f"{names}; in uso: {type(backend).__name__} ({usable})"


def _postgres() -> str:
    import psycopg
    from sqlalchemy.dialects import registry

    registry.load("postgresql.psycopg")
    implementation = psycopg.pq.__impl__
    if implementation not in {"binary", "c"}:
        raise RuntimeError(f"psycopg senza libpq inclusa (implementazione {implementation})")
    return f"psycopg {psycopg.__version__} ({implementation}), libpq {psycopg.pq.version()}"


def _watching() -> str:
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    return f"{type(Observer()).__name__}, {type(PollingObserver()).__name__}"


def _pdf_preview() -> str:
    import PySide6
    from PySide6 import QtPdf, QtPdfWidgets, QtPrintSupport

    del QtPdf, QtPdfWidgets, QtPrintSupport
    return f"PySide6 {PySide6.__version__}: QtPdf, QtPdfWidgets, QtPrintSupport"


def _data_files() -> str:
    import reports
    import ui

    fonts = sorted(p.name for p in (Path(reports.__file__).parent / "fonts").glob("*.ttf"))
    templates = list((Path(reports.__file__).parent / "templates").glob("*.txt"))
    translations = sorted(p.name for p in (Path(ui.__file__).parent / "translations").glob("*.qm"))
    if not fonts or not templates or not translations:
        raise RuntimeError(
            f"caratteri {fonts}, modelli {len(templates)}, traduzioni {translations}"
        )
    return f"{', '.join(fonts)}; {len(templates)} modelli; {', '.join(translations)}"


def _migrations() -> str:
    from desktop.backup import known_revisions
    from models.db import MIGRATIONS_DIR, SCHEMA_HEAD

    revisions = known_revisions()
    if not revisions or revisions[-1] != SCHEMA_HEAD:
        raise RuntimeError(f"revisioni {revisions}, attesa {SCHEMA_HEAD}")
    if not (MIGRATIONS_DIR / "script.py.mako").is_file():
        raise RuntimeError("script.py.mako mancante")
    return f"{len(revisions)} revisioni, fino a {SCHEMA_HEAD}"


def _reference_data() -> str:
    from datetime import date

    import holidays
    import openpyxl
    import pycountry
    from reportlab.graphics.barcode.code128 import Code128
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from stdnum.it import codicefiscale, iva

    italy = holidays.country_holidays("IT", years=date.today().year)
    country = pycountry.countries.get(alpha_3="ROU")
    codicefiscale.validate("RSSMRA85T10A562S")
    iva.validate("00743110157")
    Code128("LO-SUI/2026/0000001")
    QrCodeWidget("LO-SUI/2026/0000001")
    openpyxl.Workbook()
    return f"{len(italy)} festività IT, {country.name if country else '?'}, stdnum, barcode, xlsx"


CHECKS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("archivio credenziali", _keyring),
    ("driver PostgreSQL", _postgres),
    ("controllo cartelle", _watching),
    ("anteprima PDF", _pdf_preview),
    ("caratteri, modelli, traduzioni", _data_files),
    ("migrazioni dello schema", _migrations),
    ("dati di riferimento", _reference_data),
)


def _searchable_scans() -> Check:
    from sync.inbox.ocr_tools import find_ocr_tools

    tools = find_ocr_tools()
    return Check("testo ricercabile (OCR)", tools.ready, tools.describe(), optional=True)


def run_checks() -> list[Check]:
    results = []
    for name, check in CHECKS:
        try:
            results.append(Check(name, True, check()))
        except Exception as error:  # each check reports, none stops the others
            results.append(Check(name, False, f"{type(error).__name__}: {error}"))
    try:
        results.append(_searchable_scans())
    except Exception as error:
        results.append(
            Check("testo ricercabile (OCR)", False, f"{type(error).__name__}: {error}", True)
        )
    return results
