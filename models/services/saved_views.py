"""Saved views: a named search with its filters and sort (Thunderbird's saved searches,
Jira's filters). A user's own views are kept on the workstation, per user, as JSON text
(the adapter decides where); the ready-made ones per role are here, in code.

A view names a base list (*Pratiche*, *Da lavorare*, *Scadenze*) and the filters over
it, exactly as the list's controls show them, so that opening a view is the same as
setting those controls by hand.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from models.enums import PARERE_RICHIESTO, PRESENTATA, Role
from models.errors import ValidationError

BASES = ("all", "todo", "deadlines")  # the navigation entries a view may start from
SORT_KEYS = (
    "protocol",
    "name",
    "nationality",
    "type",
    "state",
    "holder",
    "filed_on",
    "deadline",
    "open_flags",
)
NAME_MAX = 60
VIEWS_MAX = 50


@dataclass(frozen=True)
class SavedView:
    name: str
    base: str = "all"
    search: str = ""
    type_code: str | None = None
    state: str | None = None
    office: str | None = None
    overdue: bool = False
    with_open_flags: bool = False
    sort: str = "filed_on"
    descending: bool = True
    assigned_to_me: bool = False  # only the dossiers assigned to the user (Le mie pratiche)
    ready_made: bool = False  # from the code, for the user's role: not deletable


def ready_made_views(role: str) -> list[SavedView]:
    """The views every user of this role finds in the navigation list."""
    my_dossiers = SavedView(
        "Le mie pratiche",
        base="todo",
        assigned_to_me=True,
        sort="deadline",
        descending=False,
        ready_made=True,
    )
    mine_overdue = SavedView(
        "Scadute del mio ufficio",
        base="todo",
        overdue=True,
        sort="deadline",
        descending=False,
        ready_made=True,
    )
    with_items = SavedView(
        "Segnalazioni da lavorare",
        base="todo",
        with_open_flags=True,
        sort="deadline",
        descending=False,
        ready_made=True,
    )
    if role == Role.QUESTURA_OFFICER.value:
        return [
            my_dossiers,
            SavedView(
                "Pareri da dare",
                base="todo",
                state=PARERE_RICHIESTO,
                sort="deadline",
                descending=False,
                ready_made=True,
            ),
            with_items,
            mine_overdue,
        ]
    if role == Role.SUI_CLERK.value:
        return [
            my_dossiers,
            SavedView(
                "Nuove da istruire",
                base="todo",
                state=PRESENTATA,
                sort="filed_on",
                descending=False,
                ready_made=True,
            ),
            with_items,
            mine_overdue,
        ]
    return [
        my_dossiers,
        mine_overdue,
        SavedView(
            "Tutte le segnalazioni aperte",
            with_open_flags=True,
            sort="open_flags",
            descending=True,
            ready_made=True,
        ),
    ]


def check_view(view: SavedView) -> SavedView:
    """The view with its name trimmed, or ValidationError saying what is wrong."""
    name = " ".join(view.name.split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "nome della ricerca: campo obbligatorio"
    elif len(name) > NAME_MAX:
        errors["name"] = f"nome della ricerca: al massimo {NAME_MAX} caratteri"
    if view.base not in BASES:
        errors["base"] = f"elenco «{view.base}» sconosciuto; elenchi: " + ", ".join(BASES)
    if view.sort not in SORT_KEYS:
        errors["sort"] = f"ordinamento «{view.sort}» sconosciuto"
    if errors:
        raise ValidationError(errors)
    return replace(view, name=name, search=view.search.strip(), ready_made=False)


def add_view(own: list[SavedView], view: SavedView, ready_made: list[SavedView]) -> list[SavedView]:
    """``own`` with ``view`` added; a name already in use (ignoring case) is refused."""
    view = check_view(view)
    taken = {v.name.casefold() for v in (*own, *ready_made)}
    if view.name.casefold() in taken:
        raise ValidationError(
            {"name": f"esiste già una ricerca «{view.name}»: scegliere un altro nome"}
        )
    if len(own) >= VIEWS_MAX:
        raise ValidationError({"name": f"al massimo {VIEWS_MAX} ricerche salvate per utente"})
    return [*own, view]


def remove_view(own: list[SavedView], name: str) -> list[SavedView]:
    return [v for v in own if v.name.casefold() != name.casefold()]


def dump_views(own: list[SavedView]) -> str:
    return json.dumps(
        [{k: v for k, v in asdict(view).items() if k != "ready_made"} for view in own],
        ensure_ascii=False,
    )


def load_views(text: str | None) -> list[SavedView]:
    """A user's views from what ``dump_views`` wrote; unreadable entries are skipped, so a
    damaged settings file costs those entries, never the window."""
    if not text:
        return []
    try:
        raw = json.loads(text)
    except ValueError:
        return []
    known = {f.name for f in fields(SavedView)} - {"ready_made"}
    views: list[SavedView] = []
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict):
            continue
        values: dict[str, Any] = {k: v for k, v in entry.items() if k in known}
        try:
            views.append(check_view(SavedView(**values)))
        except (TypeError, ValidationError, AttributeError):
            continue
    return views
