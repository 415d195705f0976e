"""Column values as JSON (the sync outbox, its conflicts, the quarantine) and back to Python."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, Date, DateTime, Uuid

from models.base import UtcDateTime
from models.dates import as_utc


def to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        # SQLite keeps the UTC wall time without its zone; compare like with like.
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def from_json(column: Column[Any], value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, (DateTime, UtcDateTime)):
        return as_utc(datetime.fromisoformat(value))
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Uuid):
        return uuid.UUID(value)
    return value


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def same(a: Any, b: Any) -> bool:
    """Equal as JSON values (a date and its ISO text, a UUID and its string)."""
    return bool(to_json(a) == to_json(b))
