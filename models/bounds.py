"""How long a typed value may be and what it may hold, checked where it is typed.

The length of a text column is declared once, on the model; the same limit refuses a
value here, on the workstation, so that a value the shared server's column would refuse
never reaches the replica (SQLite does not enforce lengths; PostgreSQL does, at push
time, after the change has left the clerk's hands). Free text (notes, a pending item's
text, a parere's reasons) is stored in unbounded columns and gets one generous limit.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from models.errors import ValidationError

MAX_FREE_TEXT = 4000  # characters of a note, a pending item's text, a parere's reasons
# Terms longer than these are typing mistakes: the law's longest (citizenship) are years.
MAX_TERM = {"days": 3650, "working_days": 2500, "months": 120}
MAX_DAYS_AHEAD = 3650  # --within / --due-within: ten years of deadlines
SHOWN_CHARACTERS = 40  # of a refused value, echoed in a message
_LINE_BREAKS_AND_TABS = {ord("\n"): None, ord("\r"): None, ord("\t"): None}


def column_length(column: Any) -> int | None:
    """The declared length of a mapped column (``Dossier.surname``), None if unbounded."""
    length = getattr(getattr(column, "type", None), "length", None)
    return length if isinstance(length, int) else None


def shown(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """A typed value as a message may echo it: one line, at most a few dozen characters."""
    text = "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}" for ch in str(value))
    if len(text) > limit:
        return text[: limit - 1] + "…"
    return text


def control_character(text: str) -> str | None:
    """The first control or unpaired surrogate character in ``text``, as ``U+0000``."""
    for ch in text:
        if unicodedata.category(ch) in {"Cc", "Cs"}:
            return f"U+{ord(ch):04X}"
    return None


def text_problem(text: str, limit: int | None) -> str | None:
    """Why ``text`` (already trimmed) cannot be stored, in Italian; None when it can."""
    if limit is not None and len(text) > limit:
        return f"troppo lungo: {len(text)} caratteri, al massimo {limit}"
    found = control_character(text)
    if found is not None:
        return f"contiene un carattere di controllo ({found})"
    return None


def check_text(
    field: str, label: str, text: str, limit: int | None = MAX_FREE_TEXT, multiline: bool = True
) -> str:
    """``text`` trimmed, or ValidationError naming ``label``. Free text keeps its line
    breaks and tabs (a note may have paragraphs); no other control character is taken."""
    trimmed = text.strip()
    if limit is not None and len(trimmed) > limit:
        problem = text_problem(trimmed, limit)
    else:
        kept = trimmed.translate(_LINE_BREAKS_AND_TABS) if multiline else trimmed
        problem = text_problem(kept, None)
    if problem is not None:
        raise ValidationError({field: f"{label}: {problem}"})
    return trimmed


UNIT_LABELS = {"days": "giorni", "working_days": "giorni lavorativi", "months": "mesi"}


def check_term(term: object, unit: str) -> str | None:
    """Why a legal term of ``term`` ``unit`` is refused, in Italian; None when it is fine."""
    if not isinstance(term, int) or isinstance(term, bool) or term <= 0:
        return f"termine non valido ({shown(term)}): serve un numero intero positivo"
    limit = MAX_TERM.get(unit)
    if limit is not None and term > limit:
        return f"termine non valido ({term}): al massimo {limit} {UNIT_LABELS[unit]}"
    return None


def check_column(field: str, label: str, value: str, attribute: Any) -> str:
    """A one-line value for a mapped column (``Office.name``): trimmed, within the
    column's length, without control characters; ValidationError otherwise."""
    column = attribute.property.columns[0]
    limit = column_length(column)
    return check_text(field, label, value, limit if limit is not None else MAX_FREE_TEXT, False)


def check_days_ahead(field: str, days: int | None) -> None:
    """A horizon in days (``--within N``, negative for the past): at most ten years."""
    if days is None:
        return
    if not -MAX_DAYS_AHEAD <= days <= MAX_DAYS_AHEAD:
        raise ValidationError(
            {
                field: f"numero di giorni fuori misura ({shown(days)}): al massimo "
                f"{MAX_DAYS_AHEAD}, in avanti o indietro"
            }
        )
