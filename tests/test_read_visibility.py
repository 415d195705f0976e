"""Every read service answers for the unit of work's user: a restricted (art. 18) dossier
never reaches a user without clearance, whichever service they call.

The services are found by introspection: every public function of ``models.services``
that takes the unit of work. Each must be probed here, or named as a write (its own tests
check who may make it) or as reading no dossier; a new one that is none of these fails.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

import models.services
from models.errors import NotFound
from models.meetings import OutcomeKind
from models.read.filters import DossierFilter
from models.services.flags import raise_flag
from models.services.tavolo import meetings, minutes, outcomes
from models.services.tavolo import views as tavolo_views
from models.services.tavolo.outcomes import OutcomeRequest
from models.sync_tables import SyncConflict
from models.uow import Database, UnitOfWork
from tests.factories import register

UNCLEARED, CLEARED = "rossi", "neri"  # seed users: a SUI clerk, a head with clearance


@dataclass(frozen=True)
class Restricted:
    """An art. 18 dossier with a pending item, a sync conflict about it, and a meeting
    whose agenda has an item about it with an action."""

    ref: str
    id: uuid.UUID
    flag_ref: str
    meeting: int
    item: str
    action: str

    def named_in(self, found: Any) -> bool:
        """Whether anything the service returned names this dossier."""
        text = repr(found)
        return any(mark in text for mark in (self.ref, str(self.id), self.id.hex))


def _refused(call: Callable[[], Any]) -> bool:
    try:
        call()
    except NotFound:
        return True
    return False


def _not_named(restricted: Restricted, found: Any) -> bool:
    return not restricted.named_in(found)


def _dossier(uow: UnitOfWork, restricted: Restricted) -> Any:
    """The restricted dossier as a mapped object, as a caller holding one would pass it."""
    from models.dossiers import Dossier

    return uow.session.get(Dossier, restricted.id)


def _probes() -> dict[str, Callable[[UnitOfWork, Restricted], bool]]:
    """Each probe calls a service as the user of ``uow`` and says whether the dossier
    stayed hidden: refused as «not found», or absent from what came back."""
    from models.services import (
        assignment,
        conflicts,
        flags,
        lookup,
        preview,
        queries,
        table,
        views,
        workflow,
    )

    everything = DossierFilter()
    far = 3650  # days: every deadline falls within
    return {
        "views.dossier_detail": lambda u, r: _refused(lambda: views.dossier_detail(u, r.ref)),
        "views.dossier_summary": lambda u, r: _refused(lambda: views.dossier_summary(u, r.ref)),
        "views.dossier_summaries": lambda u, r: _not_named(
            r, views.dossier_summaries(u, everything, None)
        ),
        "views.deadline_summaries": lambda u, r: _not_named(r, views.deadline_summaries(u, far)),
        "views.flag_list": lambda u, r: _not_named(r, views.flag_list(u, False, None)),
        "queries.list_dossiers": lambda u, r: _not_named(
            r, queries.list_dossiers(u, everything, None)
        ),
        "queries.deadlines": lambda u, r: _not_named(
            r, [d.reference for d in queries.deadlines(u, far)]
        ),
        "queries.list_flags": lambda u, r: _not_named(
            r, [f.dossier_id for f in queries.list_flags(u, False, None)]
        ),
        "table.dossier_ids": lambda u, r: _not_named(r, table.dossier_ids(u, everything)),
        "table.dossier_rows": lambda u, r: table.dossier_rows(u, [r.id.hex]) == {},
        "lookup.find_dossier": lambda u, r: lookup.find_dossier(u, r.ref) is None,
        "lookup.get_dossier": lambda u, r: _refused(lambda: lookup.get_dossier(u, r.ref)),
        "preview.dossier_preview": lambda u, r: _refused(lambda: preview.dossier_preview(u, r.ref)),
        "assignment.assignee_name": lambda u, r: _refused(
            lambda: assignment.assignee_name(u, r.ref)
        ),
        "flags.get_flag": lambda u, r: _refused(lambda: flags.get_flag(u, r.flag_ref)),
        "workflow.allowed_moves": lambda u, r: _refused(
            lambda: workflow.allowed_moves(u, _dossier(u, r))
        ),
        "conflicts.list_conflicts": lambda u, r: _not_named(
            r, [(c.row_id, c.reference) for c in conflicts.list_conflicts(u, True)]
        ),
        "conflicts.open_conflicts": lambda u, r: conflicts.open_conflicts(u) == 0,
        "tavolo.meetings.visible_items": lambda u, r: _not_named(
            r,
            [i.dossier_id for i in meetings.visible_items(u, meetings.get_meeting(u, r.meeting))],
        ),
        "tavolo.meetings.find_item": lambda u, r: _refused(lambda: meetings.find_item(u, r.item)),
        "tavolo.outcomes.find_action": lambda u, r: _refused(
            lambda: outcomes.find_action(u, r.action)
        ),
        "tavolo.minutes.minutes": lambda u, r: _not_named(r, minutes.minutes(u, r.meeting)),
        "tavolo.views.dossier_items": lambda u, r: tavolo_views.dossier_items(u, r.id) == [],
        "tavolo.outcomes.open_actions": lambda u, r: all(
            a.item.dossier_id != r.id for a in outcomes.open_actions(u)
        ),
    }


# Changes: who may make them is checked by each use case's own tests.
WRITES = {
    "admin.add_rule",
    "admin.add_user",
    "admin.recompute",
    "admin.refresh_holidays",
    "admin.set_office",
    "assignment.assign",
    "catalogue.import_catalogue",
    "conflicts.resolve_conflict",
    "flags.raise_flag",
    "flags.resolve_flag",
    "inbox.apply_application_rows",
    "inbox.attach_document",
    "inbox.mark_retried",
    "inbox.record_import",
    "observations.record_observations",
    "printed.record_printed",
    "registration.check_registrations",
    "registration.register_dossier",
    "registration.update_dossier",
    "registration.write_registrations",
    "workflow.advance",
    "workflow.record_parere",
    "tavolo.meetings.add_item",
    "tavolo.meetings.close_meeting",
    "tavolo.meetings.create_meeting",
    "tavolo.meetings.start_meeting",
    "tavolo.outcomes.mark_done",
    "tavolo.outcomes.record_outcome",
}

# Reads that return no dossier, and why.
NO_DOSSIER = {
    "admin.require_admin": "a permission check",
    "assignment.resolve_staff": "a colleague of the office",
    "catalogue.export_catalogue": "procedure types, states and rules",
    "tavolo.meetings.require_chair": "a permission check",
    "tavolo.meetings.get_meeting": "the meeting itself; its items through visible_items",
    "tavolo.meetings.list_meetings": "the meetings themselves, not their items",
    "tavolo.views.participants_view": "who takes part in a meeting",
}


def read_services() -> dict[str, Callable[..., Any]]:
    """Every public function of ``models.services`` whose first parameter is ``uow``."""
    found: dict[str, Callable[..., Any]] = {}
    prefix = "models.services."
    for info in pkgutil.walk_packages(models.services.__path__, prefix):
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(function).parameters)
            if parameters[:1] == ["uow"]:
                found[f"{info.name.removeprefix(prefix)}.{name}"] = function
    return found


def test_every_service_taking_the_unit_of_work_is_classified() -> None:
    probes = _probes()
    services = set(read_services())
    unknown = services - set(probes) - WRITES - set(NO_DOSSIER)
    assert not unknown, f"probe these read services in {__name__} (or classify them): {unknown}"
    gone = (set(probes) | WRITES | set(NO_DOSSIER)) - services
    assert not gone, f"no longer services taking the unit of work: {gone}"
    assert not set(probes) & WRITES and not set(NO_DOSSIER) & (WRITES | set(probes))


@pytest.fixture
def restricted(db: Database) -> Restricted:
    register(db)  # one dossier the uncleared user does see
    created = register(db, user=CLEARED, type_code="ART18", employer_name="")
    with db.unit_of_work(CLEARED, write=True) as uow:
        number, _changes = raise_flag(
            uow, created.reference, "documenti_mancanti", "Manca la denuncia", False, uow.today
        )
        uow.session.add(
            SyncConflict(
                kind="field",
                mutation_id=str(uuid.uuid4()),
                table_name="dossiers",
                row_id=str(created.dossier_id),
                field="surname",
                local_value='"Rossa"',
                server_value='"Rossi"',
                reason="cambiato anche sul server",
            )
        )
        uow.commit()
    with db.unit_of_work("verdi", write=True) as uow:  # a head with clearance chairs
        meeting, _changes = meetings.create_meeting(uow, uow.today)
        item = (
            next(
                (
                    i
                    for i in meetings.visible_items(uow, meeting)
                    if i.dossier_id == created.dossier_id
                ),
                None,
            )
            or meetings.add_item(uow, meeting.number, created.reference)[0]
        )
        meetings.start_meeting(uow, meeting.number)
        request = OutcomeRequest(
            OutcomeKind.AZIONE, "Sentire la Procura", "LO-SUI", uow.today + timedelta(days=7)
        )
        action, _changes = outcomes.record_outcome(uow, item.id.hex, request)
        found = (meeting.number, item.id.hex, action.id.hex)
        uow.commit()
    return Restricted(created.reference, created.dossier_id, str(number), *found)


def test_the_probes_see_the_dossier_as_a_cleared_user(db: Database, restricted: Restricted) -> None:
    """The oracle: with clearance every probe finds the dossier, so a probe that could
    not find it anyway proves nothing."""
    with db.unit_of_work(CLEARED) as uow:
        blind = [name for name, probe in _probes().items() if probe(uow, restricted)]
    assert blind == []


@pytest.mark.parametrize("service", sorted(_probes()))
def test_no_read_service_reveals_a_restricted_dossier_without_clearance(
    db: Database, restricted: Restricted, service: str
) -> None:
    with db.unit_of_work(UNCLEARED) as uow:
        assert _probes()[service](uow, restricted), f"{service} revealed {restricted.ref}"
