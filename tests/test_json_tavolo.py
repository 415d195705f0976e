"""The CLI's ``--json`` of the tavolo: ``tavolo list``, ``tavolo agenda N`` and ``tavolo
stats`` print these keys, in this order, with ISO dates — scripts read them."""

from __future__ import annotations

import json
import uuid
from datetime import date

from models.meetings import ItemStatus, MeetingState, OutcomeKind, Reason
from models.read.as_json import agenda_item_json, effect_json, meeting_json
from models.services.tavolo.effect import ActionCounts, Effect, ParereMonth
from models.services.tavolo.views import ItemFacts, MeetingFacts, OutcomeFacts

MEETING = uuid.UUID("01a23cc3-76a2-7548-a278-861dd1666732")
ITEM = uuid.UUID("01a23cc3-76ba-7541-983d-487c300fba22")
ACTION = uuid.UUID("6f1c1a52-8d3e-4c47-9a55-2f4f0b7c1e10")
DOSSIER = uuid.UUID("019fcd57-18a0-7000-aec1-08feef724b84")


def _printed(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


def test_a_meeting_prints_every_key_in_order() -> None:
    meeting = MeetingFacts(
        MEETING, 3, date(2026, 10, 8), "Prefettura", 2, MeetingState.CHIUSA, "chiusa", 11, "ab" * 32
    )
    assert _printed(meeting_json(meeting)) == (
        '{"number": 3, "short_id": "01a23cc3", "held_on": "2026-10-08", '
        '"place": "Prefettura", "every_weeks": 2, "state": "chiusa", "state_label": "chiusa", '
        f'"items": 11, "seal": "{"ab" * 32}"}}'
    )
    planned = MeetingFacts(
        MEETING, 4, date(2026, 10, 22), "", None, MeetingState.IN_PREPARAZIONE, "x", None, None
    )
    found = meeting_json(planned)
    assert (found["every_weeks"], found["state"], found["items"], found["seal"]) == (
        None,
        "in_preparazione",
        None,
        None,
    )


def _item(status: ItemStatus, *outcomes: OutcomeFacts) -> ItemFacts:
    return ItemFacts(
        id=ITEM,
        meeting=3,
        section="Azioni aperte",
        reason=Reason.ACTION_OPEN,
        reason_label="azione aperta",
        dossier="LO-SUI/2026/0000064",
        dossier_id=DOSSIER,
        person="Zerouali Youssef",
        restricted=False,
        topic="Sollecitare il parere",
        detail="azione della riunione n. 2",
        proposer="Francesca Verdi",
        status=status,
        carried_over=True,
        outcomes=outcomes,
    )


def test_an_agenda_item_and_its_action_print_every_key_in_order() -> None:
    action = OutcomeFacts(
        ACTION,
        OutcomeKind.AZIONE,
        "Azione",
        "Convocare il richiedente",
        "Questura",
        date(2026, 10, 22),
        None,
        4,
        None,
    )
    assert _printed(agenda_item_json(_item(ItemStatus.DISCUSSED, action))) == (
        '{"id": "01a23cc3-76ba-7541-983d-487c300fba22", "short_id": "01a23cc3", '
        '"meeting": 3, "section": "Azioni aperte", "reason": "action_open", '
        '"reason_label": "azione aperta", "dossier": "LO-SUI/2026/0000064", '
        '"dossier_id": "019fcd57-18a0-7000-aec1-08feef724b84", "person": "Zerouali Youssef", '
        '"restricted": false, "topic": "Sollecitare il parere", '
        '"detail": "azione della riunione n. 2", "proposer": "Francesca Verdi", '
        '"status": "trattato", "carried_over": true, "outcomes": ['
        '{"id": "6f1c1a52-8d3e-4c47-9a55-2f4f0b7c1e10", "short_id": "6f1c1a52", '
        '"kind": "azione", "kind_label": "Azione", "text": "Convocare il richiedente", '
        '"owner": "Questura", "due_on": "2026-10-22", "done_on": null, "flag_number": 4, '
        '"moved_to": null}]}'
    )
    not_reached = agenda_item_json(_item(ItemStatus.NOT_REACHED))
    assert (not_reached["status"], not_reached["outcomes"]) == ("non_trattato", [])


def test_did_it_help_prints_every_key_in_order() -> None:
    found = Effect(
        discussed=78,
        still_before=37.0,
        to_next_move=7.5,
        moved=30,
        not_moved=48,
        actions=ActionCounts(on_time=9, late=0, open_overdue=1, open=6),
        months=(
            ParereMonth(date(2026, 8, 1), 9, 17.0, ()),
            ParereMonth(date(2026, 9, 1), 5, None, (date(2026, 9, 10), date(2026, 9, 24))),
        ),
    )
    assert _printed(effect_json(found)) == (
        '{"discussed": 78, "median_days_without_move_before": 37.0, '
        '"median_days_to_next_move_after": 7.5, "moved_after": 30, "not_moved_yet": 48, '
        '"actions": {"on_time": 9, "late": 0, "open_overdue": 1, "open": 6}, "months": ['
        '{"month": "2026-08", "pareri_given": 9, "median_wait": 17.0, "meetings": []}, '
        '{"month": "2026-09", "pareri_given": 5, "median_wait": null, '
        '"meetings": ["2026-09-10", "2026-09-24"]}]}'
    )
