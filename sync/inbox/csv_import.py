"""Reading the ministry portal's application list into dossier rows (docs/domain-rules.md,
"L'elenco delle domande del portale").

``;``-separated, one header row, UTF-8 with or without BOM or Windows-1252, dates
``dd/mm/yyyy``. Columns are found by name: their order may vary, unknown ones are
ignored, a missing required one rejects the file. Every problem names its line (the
header is line 1) and, where there is one, its column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from models.dates import parse_date
from models.services.inbox import (
    PROVINCE_FIELD,
    ROW_FIELD,
    TYPE_FIELD,
    ApplicationRow,
    RowProblem,
)

# Column of the export -> dossier field (or a pseudo-field checked by the import).
COLUMNS: dict[str, str] = {
    "codice_domanda": "application_code",
    "tipo_pratica": TYPE_FIELD,
    "data_presentazione": "filed_on",
    "cognome": "surname",
    "nome": "given_names",
    "sesso": "sex",
    "data_nascita": "birth_date",
    "luogo_nascita": "birth_place",
    "cittadinanza": "nationality",
    "passaporto": "passport",
    "codice_fiscale": "fiscal_code",
    "datore_denominazione": "employer_name",
    "datore_codice_fiscale": "employer_fiscal_code",
    "datore_pec": "employer_pec",
    "provincia": PROVINCE_FIELD,
}
REQUIRED_COLUMNS = (
    "codice_domanda",
    "tipo_pratica",
    "data_presentazione",
    "cognome",
    "nome",
    "data_nascita",
    "cittadinanza",
)
DATE_FIELDS = frozenset({"filed_on", "birth_date"})
SEPARATOR = ";"


@dataclass(frozen=True)
class Problem:
    line: int | None
    column: int | None
    column_name: str | None
    message: str

    def text(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"riga {self.line}")
        if self.column is not None:
            where.append(f"colonna {self.column}")
        place = ", ".join(where)
        if self.column_name:
            place = f"{place} ({self.column_name})" if place else f"colonna «{self.column_name}»"
        return f"{place}: {self.message}" if place else self.message


@dataclass
class ParsedList:
    rows: list[ApplicationRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the file's and each row's
    encoding: str = ""
    header: dict[str, int] = field(default_factory=dict)  # column name -> 1-based position

    def locate(self, line: int, dossier_field: str, message: str) -> Problem:
        """A service's complaint about a field, placed at that field's column."""
        for name, target in COLUMNS.items():
            if target == dossier_field and name in self.header:
                return Problem(line, self.header[name], name, message)
        return Problem(line, None, None, message)


def _undecodable(data: bytes, offset: int, message: str) -> Problem:
    """Where a bad byte is: its line and the CSV column it falls in."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    column = data.count(SEPARATOR.encode(), start, offset) + 1
    header = data[: data.find(b"\n")] if b"\n" in data else data
    names = header.removeprefix(b"\xef\xbb\xbf").decode("latin-1").split(SEPARATOR)
    name = _column_name(names[column - 1]) if line > 1 and column <= len(names) else None
    return Problem(line, column, name, message)


def decode(data: bytes) -> tuple[str, str] | Problem:
    """The text and the encoding's name, or why it cannot be read."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(
            None, None, None, "codifica errata: il file è in UTF-16; serve UTF-8 o Windows-1252"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text, encoding = data[3:].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError as error:
            return _undecodable(
                data,
                error.start + 3,
                f"codifica errata: byte 0x{data[error.start + 3]:02X} non valido in UTF-8 "
                "(il file dichiara UTF-8 con BOM)",
            )
    else:
        try:
            text, encoding = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "Windows-1252"
            except UnicodeDecodeError as error:
                return _undecodable(
                    data,
                    error.start,
                    f"codifica errata: byte 0x{data[error.start]:02X} non valido né in UTF-8 "
                    "né in Windows-1252",
                )
    if "\x00" in text:
        return _undecodable(
            data,
            data.index(b"\x00"),
            "codifica errata: caratteri nulli, non è un file di testo CSV",
        )
    return text, encoding


def _column_name(cell: str) -> str:
    return re.sub(r"\s+", "_", cell.replace("\ufeff", "").strip().lower())


def _records(text: str) -> Iterable[tuple[int, list[str]]]:
    """Each record with the line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=SEPARATOR)
    start = 1
    for record in reader:
        yield start, record
        start = reader.line_num + 1


def parse_list(data: bytes) -> ParsedList:
    parsed = ParsedList()
    decoded = decode(data)
    if isinstance(decoded, Problem):
        parsed.problems.append(decoded)
        return parsed
    text, parsed.encoding = decoded
    try:
        records = list(_records(text))
    except csv.Error as error:
        parsed.problems.append(Problem(None, None, None, f"CSV non leggibile: {error}"))
        return parsed
    records = [(line, cells) for line, cells in records if any(c.strip() for c in cells)]
    if not records:
        parsed.problems.append(Problem(1, None, None, "file vuoto: manca l'intestazione"))
        return parsed
    header_line, header = records[0]
    if not _read_header(parsed, header_line, header):
        return parsed
    width = len(header)
    if len(records) == 1:
        parsed.problems.append(
            Problem(header_line, None, None, "il file ha solo l'intestazione: nessuna pratica")
        )
        return parsed
    for line, cells in records[1:]:
        row = _read_row(parsed, line, cells, width)
        if row is not None:
            parsed.rows.append(row)
    return parsed


def _read_header(parsed: ParsedList, line: int, header: list[str]) -> bool:
    if len(header) == 1 and ("," in header[0] or "\t" in header[0]):
        parsed.problems.append(
            Problem(line, None, None, "separatore errato: le colonne vanno separate da «;»")
        )
        return False
    for position, cell in enumerate(header, start=1):
        name = _column_name(cell)
        if name in parsed.header and name in COLUMNS:
            parsed.problems.append(
                Problem(
                    line, position, name, f"colonna ripetuta (già colonna {parsed.header[name]})"
                )
            )
        elif name:
            parsed.header.setdefault(name, position)
    for name in REQUIRED_COLUMNS:
        if name not in parsed.header:
            parsed.problems.append(
                Problem(line, None, name, f"manca la colonna obbligatoria «{name}»")
            )
    return not parsed.problems


def _read_row(parsed: ParsedList, line: int, cells: list[str], width: int) -> ApplicationRow | None:
    if len(cells) < width or any(c.strip() for c in cells[width:]):
        parsed.problems.append(
            Problem(line, None, None, f"la riga ha {len(cells)} campi, l'intestazione {width}")
        )
        return None
    values: dict[str, str | date] = {}
    type_code = province = ""
    for name, position in parsed.header.items():
        target = COLUMNS.get(name)
        if target is None:
            continue  # a column Raccordo does not use
        value = cells[position - 1].strip()
        if target == TYPE_FIELD:
            type_code = value
        elif target == PROVINCE_FIELD:
            province = value
        elif target in DATE_FIELDS and value:
            try:
                values[target] = parse_date(value, iso=False)
            except ValueError as error:
                parsed.problems.append(Problem(line, position, name, str(error)))
        else:
            values[target] = value
    return ApplicationRow(line, type_code, values, province)


def merge_problems(parsed: ParsedList, found: Iterable[RowProblem]) -> list[Problem]:
    """The reader's problems and the services', one per line and field, in line order.

    A cell the reader refused (an impossible date) was left out of the row, so the
    service's "required" complaint about the same field is dropped.
    """
    problems = list(parsed.problems)
    taken = {(p.line, p.column) for p in problems}
    for problem in found:
        if problem.field == ROW_FIELD:
            located = Problem(problem.line, None, None, problem.message)
        else:
            located = parsed.locate(problem.line, problem.field, problem.message)
        if located.column is not None and (located.line, located.column) in taken:
            continue
        taken.add((located.line, located.column))
        problems.append(located)
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))
