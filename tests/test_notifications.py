"""Notices: a pending item for my office, a parere returned, a dossier entering its last 7
days — in the status bar and a list, never modal."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from models.services.flags import raise_flag
from models.services.notifications import notices_since
from models.services.workflow import advance, record_parere
from models.uow import Database
from tests.factories import register
from tests.gui_support import make_context
from ui.main_window import MainWindow

TODAY = date.today()


def test_the_other_offices_items_and_pareri_and_the_seven_day_line(database: Database) -> None:
    filed = (TODAY - timedelta(days=53)).isoformat()  # 60-day term: 7 days left today
    ref = register(database, filed_on=filed, quota_assigned_on=filed).reference
    before = datetime.now(UTC) - timedelta(seconds=1)
    with database.unit_of_work("rossi", write=True) as uow:
        advance(uow, ref, "in_istruttoria", TODAY)
        advance(uow, ref, "parere_richiesto", TODAY)
        raise_flag(uow, ref, "altro", "Nota nostra", False, TODAY)  # mine: no notice
        uow.commit()
    with database.unit_of_work("bianchi", write=True) as uow:
        raise_flag(uow, ref, "documenti_mancanti", "Manca il contratto", False, TODAY)
        record_parere(uow, ref, "favorevole", "", TODAY)
        uow.commit()
    with database.unit_of_work("rossi") as uow:
        found = notices_since(uow, before, TODAY - timedelta(days=1))
        later = notices_since(uow, datetime.now(UTC), TODAY)
    assert [n.kind for n in found] == ["flag", "parere", "deadline"]
    assert "Manca il contratto" in found[0].text and "favorevole" in found[1].text
    assert "tra 7 giorni" in found[2].text
    assert later == []  # nothing new, and the line was crossed at the last check


def test_a_notice_shows_in_the_status_bar_and_the_list_opens_the_dossier(
    database: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    ref = register(database).reference
    context = make_context(database, tmp_path, "rossi")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    notices = window.notifications
    qtbot.waitUntil(lambda: notices.checked_on is not None, timeout=20_000)
    with database.unit_of_work("bianchi", write=True) as uow:
        raise_flag(uow, ref, "verifica_identita", "Passaporto scaduto", False, TODAY)
        uow.commit()
    notices.check()
    qtbot.waitUntil(lambda: notices.unread == 1, timeout=20_000)
    assert "Passaporto scaduto" in window.statusBar().currentMessage()
    assert notices.button.text() == "Notices: 1" and notices.button.font().bold()
    checks = notices.checks
    notices.check()  # asked again a second early: the same item is not told twice
    qtbot.waitUntil(lambda: notices.checks > checks, timeout=20_000)
    assert notices.list.count() == 1 and notices.unread == 1
    notices.show_list()
    assert notices.list.isVisible() and not notices.list.isModal()
    assert notices.unread == 0
    notices.list.itemActivated.emit(notices.list.item(0))
    qtbot.waitUntil(lambda: len(window._dossier_windows) == 1, timeout=20_000)
    notices.list.close()
    context.tasks.shutdown()
