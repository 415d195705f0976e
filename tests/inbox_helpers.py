"""Building ministry lists, scans and an inbox folder for the inbox tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from models.uow import Database
from sync.inbox.files import InboxFolders
from sync.inbox.processor import InboxProcessor

COLUMNS = (
    "codice_domanda",
    "tipo_pratica",
    "data_presentazione",
    "cognome",
    "nome",
    "sesso",
    "data_nascita",
    "luogo_nascita",
    "cittadinanza",
    "passaporto",
    "codice_fiscale",
    "datore_denominazione",
    "datore_codice_fiscale",
    "datore_pec",
    "provincia",
)

STEFAN: dict[str, str] = {
    "codice_domanda": "ALI-2026-0001",
    "tipo_pratica": "NO_LAVORO",
    "data_presentazione": "01/09/2026",
    "cognome": "Țurcanu",
    "nome": "Ștefan",
    "sesso": "M",
    "data_nascita": "04/03/1990",
    "luogo_nascita": "Chișinău",
    "cittadinanza": "ROU",
    "passaporto": "057123456",
    "codice_fiscale": "",
    "datore_denominazione": "Cascina Bassiana srl",
    "datore_codice_fiscale": "00743110157",
    "datore_pec": "cascina.bassiana@pec.it",
    "provincia": "LO",
}
MULLER: dict[str, str] = {
    **STEFAN,
    "codice_domanda": "ALI-2026-0002",
    "cognome": "Müller",
    "nome": "Jürgen",
    "cittadinanza": "DEU",
    "luogo_nascita": "München",
    "passaporto": "C01X00T47",
    # A real codice fiscale for a man born abroad (Z112, Germany) on 4 March 1990.
    "codice_fiscale": "MLLJGN90C04Z112G",
}


def csv_text(rows: Sequence[Mapping[str, str]], columns: Sequence[str] = COLUMNS) -> str:
    lines = [";".join(columns)]
    lines += [";".join(row.get(c, "") for c in columns) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def write_list(
    folder: Path,
    name: str,
    rows: Sequence[Mapping[str, str]],
    columns: Sequence[str] = COLUMNS,
    encoding: str = "utf-8",
) -> Path:
    path = folder / name
    path.write_bytes(csv_text(rows, columns).encode(encoding))
    return path


def pdf_bytes(text: str = "scan", size: int = 0) -> bytes:
    body = b"%PDF-1.4\n% " + text.encode() + b"\n"
    return body + b"0" * max(0, size - len(body))


def make_processor(db: Database, root: Path, user: str = "rossi") -> InboxProcessor:
    folders = InboxFolders.at(root, "test-pc")
    folders.ensure()
    return InboxProcessor(db, user, folders)


def claim_and_process(processor: InboxProcessor, path: Path):  # type: ignore[no-untyped-def]
    from sync.inbox.scanner import claim

    claimed = claim(path, processor.folders.working)
    assert claimed is not None
    return processor.process(claimed)
