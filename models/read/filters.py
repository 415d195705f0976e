"""What a list of dossiers asks for, and how typed text is read as a search."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from models.bounds import check_days_ahead


@dataclass(frozen=True)
class DossierFilter:
    state: str | None = None
    type_code: str | None = None
    office: str | None = None  # holder office code or kind
    overdue: bool = False
    due_within: int | None = None
    search: str | None = None
    with_open_flags: bool = False
    open_only: bool = False
    assigned_to: str | None = None  # a username: the dossiers assigned to that person

    def __post_init__(self) -> None:
        check_days_ahead("due_within", self.due_within)  # refused before any date arithmetic


PROTOCOL_RE = re.compile(r"^\s*([A-Za-z0-9-]+)/(\d{4})/(\d{1,9})\s*$")
PROVISIONAL_RE = re.compile(r"^\s*PROVV-([0-9A-Fa-f]{8})\s*$")
PARTIAL_PROTOCOL_RE = re.compile(r"^([a-z]{2}-[a-z]*)(?:/(\d{0,4})(?:/(\d{0,7}))?)?$")
PROTOCOL_DIGITS = 7
SUBSTRING_FROM = 3  # shorter text matches the start of the surname (an index range)


def is_whole_protocol(text: str) -> re.Match[str] | None:
    """A protocol as printed (number of seven digits or more): that dossier only."""
    whole = PROTOCOL_RE.match(text)
    return whole if whole and len(whole.group(3)) >= PROTOCOL_DIGITS else None


def number_range(typed: str, digits: int) -> tuple[int, int]:
    """Numbers of ``digits`` digits that start with ``typed``: ``12`` of 4 → 1200–1299."""
    scale = 10 ** (digits - len(typed))
    return int(typed) * scale, (int(typed) + 1) * scale - 1


def prefix_upper_bound(needle: str) -> str:
    """The first text after every text starting with ``needle`` (for an index range)."""
    return needle[:-1] + chr(ord(needle[-1]) + 1)


def fts_phrase(needle: str) -> str:
    """``needle`` as one phrase of SQLite's full-text index."""
    return '"' + needle.replace('"', '""') + '"'


# The rowids of the dossiers not yet in the full-text index (``models.search_index``)
# whose key contains a LIKE pattern; ``{like}`` is the pattern's placeholder.
PENDING_ROWIDS = (
    "SELECT pending.rowid FROM dossier_search_backlog AS b"
    " JOIN dossiers AS pending ON pending.rowid BETWEEN b.first_rowid AND b.last_rowid"
    " WHERE pending.search_key LIKE {like} ESCAPE '\\'"
)


def text_words(needle: str) -> list[str]:
    """The words a document's text must all contain (each ``like_anywhere``)."""
    return [like_anywhere(word) for word in needle.split()]


TRIGRAM = 3  # a trigram index finds words of three letters or more


def indexed_words(needle: str) -> tuple[str, list[str]]:
    """For SQLite's index of documents' text: a MATCH expression requiring every word of
    three letters or more ("" when there is none), and LIKE patterns for the shorter
    ones (checked on the rows the index found)."""
    words = needle.split()
    match = " AND ".join(fts_phrase(word) for word in words if len(word) >= TRIGRAM)
    return match, [like_anywhere(word) for word in words if len(word) < TRIGRAM]


def like_anywhere(needle: str) -> str:
    """A LIKE pattern (escape ``\\``) matching ``needle`` anywhere."""
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class PartialProtocol:
    """``lo-sui/2025/00012`` as it is typed: office, year and number prefixes."""

    office: str
    year: str | None
    number: str | None

    def offices(self, codes: list[tuple[object, str]]) -> list[object]:
        """Ids of the offices meant: the code typed whole once a slash follows it."""
        if self.year is not None:
            return [i for i, code in codes if code.lower() == self.office]
        return [i for i, code in codes if code.lower().startswith(self.office)]

    @property
    def broad(self) -> bool:
        """Office and year, or a short number: 10,000 numbers or more match."""
        return not self.number or len(self.number) < PROTOCOL_DIGITS - 3


@dataclass(frozen=True)
class Search:
    """How typed text is looked for (``read_search``)."""

    needle: str  # folded: lower case, no accents
    protocol: tuple[str, int, int] | None  # a whole protocol: office code, year, number
    partial: PartialProtocol | None

    @property
    def mode(self) -> str:
        """After the protocol forms: 1 letter → ``letter`` (the surname's first), 2 →
        ``prefix`` (surnames starting so), more → ``text`` (anywhere: surname, names,
        codes, passport)."""
        if len(self.needle) == 1:
            return "letter"
        return "prefix" if len(self.needle) < SUBSTRING_FROM else "text"


def read_search(text: str, fold: Callable[[str], str]) -> Search:
    needle = fold(text)
    protocol = None
    if whole := is_whole_protocol(text):
        code, year, number = whole.groups()
        protocol = (code.upper(), int(year), int(number))
    partial = None
    if match := PARTIAL_PROTOCOL_RE.match(needle):
        partial = PartialProtocol(*match.groups())
    return Search(needle, protocol, partial)
