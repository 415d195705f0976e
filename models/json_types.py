"""The shape of plain JSON data: what ``json.loads`` gives and ``json.dumps`` takes.

For data that stays JSON on purpose — the CLI's ``--json`` (``models.read.as_json``), a
sync batch on the wire, an exported catalogue — not for what services return to
screens: those are frozen dataclasses with real dates.
"""

from __future__ import annotations

from typing import TypeAlias

JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"
JsonObject: TypeAlias = "dict[str, JsonValue]"
