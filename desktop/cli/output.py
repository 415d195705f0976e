"""Printing tables and JSON for people and scripts."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

from models.dates import italian_date

it_date = italian_date  # blank for no date, as tables want it

UNIT_LABELS = {"days": "giorni", "months": "mesi", "working_days": "giorni lavorativi"}


def print_json(data: Any) -> None:
    # One call to dumps without indentation runs the C encoder: ten times faster than
    # json.dump's pure-Python one on a few thousand dossiers.
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str))
    sys.stdout.write("\n")


def _width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [_width(h) for h in headers]
    for row in cells:
        widths = [max(w, _width(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True))

    print(line(list(headers)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print(line(row).rstrip())


def days_badge(summary: dict[str, Any]) -> str:
    if summary["clock"] == "suspended":
        return "sospesa"
    if summary["closed_on"]:
        return "chiusa"
    days = summary["days_left"]
    if days is None:
        return ""
    return f"scaduta da {-days} gg" if days < 0 else f"{days} gg"
