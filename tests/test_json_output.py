"""The CLI's ``--json`` of a sync conflict: the keys, their order and their formats,
which scripts read (``raccordo conflicts list --json``)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from models.read.as_json import conflict_json
from models.services.conflicts import ConflictRow

DOSSIER = uuid.UUID("6f1c1a52-8d3e-4c47-9a55-2f4f0b7c1e10")


def _row(**changes: object) -> ConflictRow:
    values: dict[str, object] = {
        "id": 7,
        "kind": "field",
        "table": "dossiers",
        "row_id": str(DOSSIER),
        "dossier_id": DOSSIER,
        "reference": "LO-SUI/2026/0000001",
        "field": "birth_date",
        "field_label": "data di nascita",
        "base": "1990-03-04",
        "local": "1990-03-05",
        "server": "1991-03-04",
        "reason": "modificato anche sul server",
        "created_at": datetime(2026, 12, 3, 9, 30, 15, tzinfo=UTC),
        "resolved_at": None,
        "resolution": None,
        "summary": "Data di nascita: qui «1990-03-05», sul server «1991-03-04»",
    }
    return ConflictRow(**(values | changes))  # type: ignore[arg-type]


def test_a_field_conflict_prints_every_key_in_order() -> None:
    printed = json.dumps(conflict_json(_row()), ensure_ascii=False)
    assert printed == (
        '{"id": 7, "kind": "field", "table": "dossiers", '
        '"row_id": "6f1c1a52-8d3e-4c47-9a55-2f4f0b7c1e10", '
        '"dossier_id": "6f1c1a52-8d3e-4c47-9a55-2f4f0b7c1e10", '
        '"reference": "LO-SUI/2026/0000001", "field": "birth_date", '
        '"field_label": "data di nascita", "base": "1990-03-04", "local": "1990-03-05", '
        '"server": "1991-03-04", "reason": "modificato anche sul server", '
        '"created_at": "2026-12-03T09:30:15+00:00", "resolved_at": null, "resolution": null, '
        '"summary": "Data di nascita: qui «1990-03-05», sul server «1991-03-04»"}'
    )


def test_a_resolved_refusal_without_dossier_keeps_its_rows_as_they_were() -> None:
    rows = [{"table": "flags", "action": "insert", "changes": {"text": [None, "manca"]}}]
    found = conflict_json(
        _row(
            kind="refused",
            table="flags",
            dossier_id=None,
            reference=None,
            field=None,
            field_label=None,
            base=None,
            local=rows,
            server=None,
            resolved_at=datetime(2026, 12, 4, 8, 0, tzinfo=UTC),
            resolution="server",
        )
    )
    assert found["dossier_id"] is None and found["local"] == rows
    assert (found["resolved_at"], found["resolution"]) == ("2026-12-04T08:00:00+00:00", "server")
