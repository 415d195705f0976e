"""Every read service answers for the unit of work's user: a restricted (art. 18) dossier
never reaches a user without clearance, whichever service they call.

The services are found by introspection: every public function of ``models.services``
that takes the unit of work. Each must be probed here, or named as a write (its own tests
check who may make it) or as reading no dossier; a new one that is none of these fails.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import pkgutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import models.services
from models.errors import NotFound
from models.meetings import OutcomeKind
from models.read.filters import DossierFilter
from models.services import inbox
from models.services.flags import raise_flag
from models.services.tavolo import meetings, minutes, outcomes
from models.services.tavolo import views as tavolo_views
from models.services.tavolo.outcomes import OutcomeRequest
from models.services.workflow import advance
from models.sync_tables import SyncConflict
from models.uow import Database, UnitOfWork
from tests.factories import WORKER, register

# Seed users: a SUI clerk; a Questura officer with clearance, who registers the dossier;
# the SUI's head, with clearance, who sees it all (the other office's notices too).
UNCLEARED, CLEARED, HEAD = "rossi", "neri", "verdi"


@dataclass(frozen=True)
class Restricted:
    """An art. 18 dossier waiting for a parere, with a pending item, a document, an entry
    in the import register, a sync conflict, and a meeting whose agenda has an item about
    it with an action."""

    ref: str
    id: uuid.UUID
    flag_ref: str
    meeting: int
    item: str
    action: str
    document: str

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
        document_text,
        duplicates,
        flags,
        flags_list,
        forecast,
        history,
        inbox,
        lookup,
        notifications,
        preview,
        queries,
        table,
        undo,
        views,
        waiting,
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
        "table.ids_by_risk": lambda u, r: _not_named(r, table.ids_by_risk(u, everything)),
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
        "history.audit_trail": lambda u, r: _refused(lambda: history.audit_trail(u, r.id)),
        "inbox.dossier_documents": lambda u, r: _refused(lambda: inbox.dossier_documents(u, r.ref)),
        "document_text.pending_documents": lambda u, r: (
            uuid.UUID(r.document) not in document_text.pending_documents(u, failed=True)
        ),
        "document_text.to_read": lambda u, r: (
            document_text.to_read(u, uuid.UUID(r.document)) is None
        ),
        "inbox.document_content": lambda u, r: _refused(
            lambda: inbox.document_content(u, r.document)
        ),
        "inbox.find_for_document": lambda u, r: _refused(
            lambda: inbox.find_for_document(u, [r.ref])
        ),
        "inbox.check_batch_dossiers": lambda u, r: (
            inbox.check_batch_dossiers(u, [(1, r.ref)]) != []
        ),
        "inbox.recent_imports": lambda u, r: all(
            r.ref.replace("/", "-") not in e.file_name for e in inbox.recent_imports(u)
        ),
        "duplicates.possible_duplicates": lambda u, r: _not_named(
            r, duplicates.possible_duplicates(u, WORKER)
        ),
        "notifications.notices_since": lambda u, r: _not_named(
            r, notifications.notices_since(u, datetime(2000, 1, 1, tzinfo=UTC), u.today)
        ),
        "forecast.open_files": lambda u, r: r.id not in forecast.open_files(u),
        "forecast.breach_risks": lambda u, r: r.id not in forecast.breach_risks(u),
        "forecast.riskiest": lambda u, r: r.id not in [k for _, k in forecast.riskiest(u, 0.0)],
        "flags_list.flag_lines": lambda u, r: _not_named(
            r, [line.facts.dossier_id for line in flags_list.flag_lines(u, False, None)]
        ),
        "undo.undo_offer": lambda u, r: _refused(lambda: undo.undo_offer(u, _dossier(u, r))),
        "waiting.parere_waits": lambda u, r: waiting.parere_waits(u, [r.id.hex]) == {},
        "waiting.waiting_for": lambda u, r: _refused(
            lambda: waiting.waiting_for(u, _dossier(u, r))
        ),
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
        "tavolo.outcomes.actions_for": lambda u, r: _not_named(r, outcomes.actions_for(u)),
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
    "document_text.store_text",
    "inbox.apply_application_rows",
    "inbox.attach_document",
    "inbox.mark_retried",
    "inbox.record_import",
    "observations.record_observations",
    "printed.record_printed",
    "registration.check_registrations",
    "registration.plan_registrations",
    "inbox.plan_application_rows",
    "registration.register_dossier",
    "registration.update_dossier",
    "registration.write_registrations",
    "workflow.advance",
    "workflow.record_parere",
    "undo.undo_last_move",
    "tavolo.agenda.refresh_agenda",
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
    "catalogue_read.procedure_catalogue": "procedure types, states and rules",
    "directory.office_list": "the offices",
    "directory.staff_list": "the people with an account and their office",
    "forecast.office_history": "how long closed files stayed in each state, no dossier named",
    "letter_rules.check_letter": "a check on a dossier already found visible (get_dossier)",
    "letter_rules.check_issuer": "a permission check on a dossier already found visible",
    "letter_rules.letter_refusals": "check_letter's reasons, for a dossier already found",
    "letter_rules.check_worklist": "a permission check",
    "tavolo.effect.effect": "counts and medians over the visible dossiers, none named",
    "tavolo.meetings.require_chair": "a permission check",
    "tavolo.meetings.meeting_calendar": "the office's holidays",
    "tavolo.meetings.meeting_day": "a date moved past the office's holidays",
    "tavolo.meetings.get_meeting": "the meeting itself; its items through visible_items",
    "tavolo.meetings.list_meetings": "the meetings themselves, not their items",
    "tavolo.views.participants_view": "who takes part in a meeting",
}


# Public functions taking a bare session: the pieces services are built from, never a
# read service of their own (adapters call the services above).
BUILDING_BLOCKS = {
    "contents.content_chunks": "the content store, by hash",
    "contents.has_content": "the content store, by hash",
    "contents.read_content": "the content store, by hash",
    "contents.store_content": "the content store, by hash",
    "inbox.entries_for": "the inbox processor's crash recovery, by hash and file name",
    "inbox.get_import": "the register entry mark_retried and the processor act on",
    "lookup.dossier_by_ref": "the bare look-up find_dossier and get_dossier apply visibility to",
    "lookup.get_office": "reference data",
    "lookup.get_type": "reference data",
    "queries.apply_filter": "a filter added to queries already restricted by visibility",
    "queries.offices": "reference data",
    "queries.procedure_types": "reference data",
    "views.state_label": "reference data",
    "tavolo.agenda.next_position": "an agenda's next free position",
    "tavolo.candidates.at_risk": "agenda rules: items are filtered when read (visible_items)",
    "tavolo.candidates.bouncing": "agenda rules: items are filtered when read (visible_items)",
    "tavolo.candidates.candidates": "agenda rules: items are filtered when read (visible_items)",
    "tavolo.candidates.flags_old": "agenda rules: items are filtered when read (visible_items)",
    "tavolo.candidates.overdue": "agenda rules: items are filtered when read (visible_items)",
    "tavolo.candidates.pareri_overdue": "agenda rules: items are filtered when read",
    "tavolo.rules.thresholds": "the agenda's settings",
    "tavolo.seal.last_seal": "the meetings' hash chain",
    "tavolo.seal.seal": "the meetings' hash chain",
    "tavolo.seal.verify": "the meetings' hash chain",
}


def services_taking(first: str) -> dict[str, Callable[..., Any]]:
    """Every public function of ``models.services`` whose first parameter is ``first``."""
    found: dict[str, Callable[..., Any]] = {}
    prefix = "models.services."
    for info in pkgutil.walk_packages(models.services.__path__, prefix):
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(function).parameters)
            if parameters[:1] == [first]:
                found[f"{info.name.removeprefix(prefix)}.{name}"] = function
    return found


def read_services() -> dict[str, Callable[..., Any]]:
    return services_taking("uow")


def test_services_taking_a_bare_session_are_only_building_blocks() -> None:
    """One calling convention: a read service takes the unit of work, whose user it
    answers for; a function taking a session must be one of the named pieces."""
    found = set(services_taking("session"))
    assert found - set(BUILDING_BLOCKS) == set(), "take the unit of work instead"
    assert set(BUILDING_BLOCKS) - found == set(), "no longer a building block"


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
        advance(uow, created.reference, "in_istruttoria", uow.today)
        advance(uow, created.reference, "parere_richiesto", uow.today)
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
    # Received by a cleared head: their office (the uncleared clerk's too) reads its text.
    with db.unit_of_work(HEAD, write=True) as uow:
        name = created.reference.replace("/", "-") + "__denuncia.pdf"
        data = b"%PDF-1.4 denuncia"
        digest = hashlib.sha256(data).hexdigest()
        inbox.attach_document(
            uow,
            [created.reference],
            name,
            data,
            digest,
            "application/pdf",
            source_batch="scansione_0001.pdf",  # a batch's part: its text waits to be read
            source_pages="2",
        )
        entry = inbox.ImportEntry(
            name,
            digest,
            inbox.ImportKind.DOCUMENT,
            inbox.ImportStatus.IMPORTED,
            dossier_id=created.dossier_id,
            restricted=True,
        )
        inbox.record_import(uow, entry)
        uow.commit()
        documents = inbox.dossier_documents(uow, created.reference)
    with db.unit_of_work(HEAD, write=True) as uow:  # a head chairs the meeting
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
    return Restricted(
        created.reference, created.dossier_id, str(number), *found, str(documents[0].id)
    )


def test_the_probes_see_the_dossier_as_a_cleared_user(db: Database, restricted: Restricted) -> None:
    """The oracle: with clearance every probe finds the dossier, so a probe that could
    not find it anyway proves nothing."""
    with db.unit_of_work(HEAD) as uow:
        blind = [name for name, probe in _probes().items() if probe(uow, restricted)]
    assert blind == []


@pytest.mark.parametrize("service", sorted(_probes()))
def test_no_read_service_reveals_a_restricted_dossier_without_clearance(
    db: Database, restricted: Restricted, service: str
) -> None:
    with db.unit_of_work(UNCLEARED) as uow:
        assert _probes()[service](uow, restricted), f"{service} revealed {restricted.ref}"
