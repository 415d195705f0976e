"""Issue 14: undo of the last state move, within a short window, by a compensating event."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.cli.main import main
from models.dossiers import Dossier
from models.errors import InvalidTransition
from models.services.flags import raise_flag
from models.services.history import AuditChange, audit_trail
from models.services.lookup import get_dossier
from models.services.undo import UNDO_MINUTES, undo_last_move
from models.services.waiting import waiting_for
from models.services.workflow import advance
from tests.gui_support import Station, station_with
from tests.test_gui_dossier import open_window

station = station_with("rossi", "gialli", "bianchi")


def moved(station: Station, *states: str, user: str = "rossi") -> str:
    dossier_id = station.register()
    with station.database.unit_of_work(user, write=True) as uow:
        for state in states:
            advance(uow, dossier_id, state, date.today())
        uow.commit()
    return dossier_id


def facts(station: Station, dossier_id: str) -> dict[str, Any]:
    with station.database.unit_of_work("rossi") as uow:
        dossier = get_dossier(uow, dossier_id, with_history=True)
        return {
            "state": dossier.state,
            "holder": dossier.holder,
            "deadline": dossier.deadline,
            "clock": dossier.clock_state,
            "closed_on": dossier.closed_on,
            "kinds": [e.kind for e in sorted(dossier.events, key=lambda e: e.seq)],
            "open_pareri": [p for p in dossier.pareri if p.deleted_at is None],
            "waiting": waiting_for(uow, dossier).text,
        }


def undo(station: Station, dossier_id: str, user: str = "rossi", **kw: Any) -> None:
    with station.database.unit_of_work(user, write=True) as uow:
        undo_last_move(uow, dossier_id, **kw)
        uow.commit()


def test_undo_adds_a_compensating_event_and_the_dossier_is_as_before(station: Station) -> None:
    dossier_id = moved(station, "in_istruttoria")
    before = facts(station, moved(station))  # a twin never moved: the oracle
    undo(station, dossier_id)
    after = facts(station, dossier_id)
    assert after["kinds"] == ["registered", "transition", "undone"]  # history only grows
    for key in ("state", "holder", "deadline", "clock", "closed_on"):
        assert after[key] == before[key], key
    with station.database.unit_of_work("rossi") as uow:
        dossier = uow.session.get(Dossier, get_dossier(uow, dossier_id).id)
        assert dossier is not None
        trail = audit_trail(uow, dossier.id)
    undone = [e for e in trail if e.table == "dossier_events" and e.action == "insert"]
    assert undone[-1].actor == "rossi"  # audited like any other fact
    assert AuditChange("kind", None, "annullamento") in undone[-1].changes


def test_undoing_a_closing_move_reopens_the_dossier(station: Station) -> None:
    dossier_id = moved(station, "archiviata")
    assert facts(station, dossier_id)["closed_on"] == date.today()
    undo(station, dossier_id)
    after = facts(station, dossier_id)
    assert after["state"] == "presentata" and after["closed_on"] is None
    assert after["clock"] == "runs"


def test_undoing_a_parere_request_withdraws_the_request(station: Station) -> None:
    dossier_id = moved(station, "in_istruttoria", "parere_richiesto")
    assert len(facts(station, dossier_id)["open_pareri"]) == 1
    undo(station, dossier_id)
    after = facts(station, dossier_id)
    assert after["state"] == "in_istruttoria" and after["holder"] == "sui"
    assert after["open_pareri"] == [] and "parere" not in after["waiting"]


def test_undo_is_refused_after_the_window(station: Station) -> None:
    dossier_id = moved(station, "in_istruttoria")
    later = datetime.now(UTC) + timedelta(minutes=UNDO_MINUTES, seconds=5)
    with pytest.raises(InvalidTransition, match=f"più di {UNDO_MINUTES} minuti"):
        undo(station, dossier_id, now=later)
    assert facts(station, dossier_id)["state"] == "in_istruttoria"


def test_undo_is_refused_when_another_fact_followed(station: Station) -> None:
    dossier_id = moved(station, "in_istruttoria")
    with station.database.unit_of_work("rossi", write=True) as uow:
        raise_flag(uow, dossier_id, "documenti_mancanti", "Contratto", False, date.today())
        uow.commit()
    with pytest.raises(InvalidTransition, match="registrato altro"):
        undo(station, dossier_id)


def test_only_who_made_the_move_undoes_it(station: Station) -> None:
    dossier_id = moved(station, "in_istruttoria")
    with pytest.raises(InvalidTransition, match="altro utente"):
        undo(station, dossier_id, user="gialli")


def test_an_undo_is_not_undone(station: Station) -> None:
    dossier_id = moved(station, "in_istruttoria")
    undo(station, dossier_id)
    with pytest.raises(InvalidTransition):
        undo(station, dossier_id)


def test_the_command_line_undoes_and_refuses_in_one_italian_line(
    station: Station, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dossier_id = moved(station, "in_istruttoria")
    with station.database.unit_of_work("rossi") as uow:
        reference = get_dossier(uow, dossier_id).reference
    base = ["--home", str(tmp_path), "--user", "rossi", "dossier", "undo", reference]
    assert main(base) == 0
    assert capsys.readouterr().out.strip() == (
        f"{reference}: passaggio annullato, la pratica è di nuovo in «Presentata»"
    )
    assert main(base) != 0
    error = capsys.readouterr().err.strip()
    assert "non si annulla" in error and len(error.splitlines()) == 1
    assert "Traceback" not in error


def test_ctrl_z_in_the_dossier_window_undoes_with_the_time_left_shown(
    qtbot: QtBot, station: Station
) -> None:
    dossier_id = moved(station, "in_istruttoria")
    window = open_window(qtbot, station, "rossi", dossier_id)
    action = window.undo_action
    qtbot.waitUntil(action.isEnabled, timeout=10_000)
    assert action.shortcut().toString() == "Ctrl+Z"
    text = action.text().replace("&", "")
    assert text.startswith("Undo «Presentata → In istruttoria» (") and "left" in text
    minutes = int(text.split("(")[1].split(":")[0])
    assert UNDO_MINUTES - 1 <= minutes < UNDO_MINUTES
    action.trigger()
    qtbot.waitUntil(lambda: window.header.state.text() == "Presentata", timeout=10_000)
    qtbot.waitUntil(lambda: not action.isEnabled(), timeout=10_000)
    assert facts(station, dossier_id)["kinds"][-1] == "undone"
