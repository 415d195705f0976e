"""The index of documents' text (migration 0017): the main search box finds a dossier by
the words of its documents through it, and it follows every change of a text."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select, text, update

from models.documents import Document
from models.read.connection import open_reader
from models.read.dossiers import DossierReads, load_viewer
from models.read.filters import DossierFilter
from models.services.document_text import store_text
from models.services.inbox import attach_document
from models.services.queries import list_dossiers
from models.uow import Database
from tests.factories import register
from tests.gui_support import make_context
from ui.main_window import MainWindow

CONTRACT = "Contratto di lavoro stagionale, Cascina Bassiana di Pozzolengo"


def _attach(db: Database, reference: str, name: str, words: str) -> uuid.UUID:
    data = f"%PDF-1.4 {name}".encode()
    with db.unit_of_work("rossi", write=True) as uow:
        attach_document(uow, [reference], name, data, uuid.uuid4().hex * 2, "application/pdf")
        uow.commit()
    with db.sessions() as session:
        document_id = session.scalars(select(Document.id).where(Document.file_name == name)).one()
    with db.unit_of_work("rossi", write=True) as uow:
        store_text(uow, document_id, words)
        uow.commit()
    return document_id


def _found(db: Database, search: str) -> set[str]:
    with db.unit_of_work("rossi") as uow:
        service = {str(r.id) for r in list_dossiers(uow, DossierFilter(search=search), None)}
    reader = open_reader(db.engine.url.render_as_string(hide_password=False))
    assert reader is not None
    try:
        reads = DossierReads(reader, load_viewer(reader, "rossi"), db.today())
        light = {str(r.id) for r in reads.list_records(DossierFilter(search=search), None)}
    finally:
        reader.close()
    assert service == light, search  # the window's first screen and the service agree
    return service


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_index_follows_every_change_of_a_text(db: Database) -> None:
    popa = register(db, application_code="ALI-2026-0001", surname="Popa")
    ionescu = register(db, application_code="ALI-2026-0002", surname="Ionescu")
    contract = _attach(db, popa.reference, "contratto.pdf", CONTRACT)
    _attach(db, ionescu.reference, "passaporto.pdf", "Passaporto della Repubblica di Moldova")
    mine = {str(popa.dossier_id)}

    assert _found(db, "contratto Cascina") == mine
    assert _found(db, "cascina di pozzolengo") == mine  # a two-letter word too
    assert _found(db, "ontrat assian") == mine  # parts of words, as the name search
    assert _found(db, "contratto Moldova") == set()  # the words of one document
    assert _found(db, "Moldova di") == {str(ionescu.dossier_id)}
    assert _found(db, "Pozzolengo") == mine

    with db.unit_of_work("rossi", write=True) as uow:  # read again: other words
        store_text(uow, contract, "Permesso di soggiorno Brescia")
        uow.commit()
    assert _found(db, "contratto Cascina") == set()
    assert _found(db, "soggiorno Brescia") == mine

    with db.sessions() as session:  # the document is removed (soft delete)
        session.execute(
            update(Document).where(Document.id == contract).values(deleted_at=datetime.now(UTC))
        )
        session.commit()
    assert _found(db, "soggiorno Brescia") == set()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_search_reads_the_index_not_every_text(db: Database) -> None:
    popa = register(db, application_code="ALI-2026-0001", surname="Popa")
    _attach(db, popa.reference, "contratto.pdf", CONTRACT)
    with db.sessions() as session:
        indexed = session.execute(
            text(
                "SELECT count(*) FROM document_text_search"
                " WHERE document_text_search MATCH '\"cascina\"'"
            )
        ).scalar_one()
        assert indexed == 1
        plan = session.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT dossier_id FROM documents WHERE deleted_at IS NULL"
                " AND rowid IN (SELECT rowid FROM document_text_search"
                " WHERE document_text_search MATCH '\"cascina\"')"
            )
        ).all()
    details = " | ".join(str(row[-1]) for row in plan)
    assert "VIRTUAL TABLE INDEX" in details and "SCAN documents" not in details, details


@pytest.fixture
def window(database: Database, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    context = make_context(database, tmp_path, "rossi")
    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    yield main
    context.tasks.shutdown()


def _names(window: MainWindow) -> list[str]:
    model = window.dossiers.model
    for row in range(model.rowCount()):
        model.data(model.index(row, 1))
    if not model.visible_rows_loaded(0, model.rowCount() - 1):
        return ["…"]
    return [row.name for row in (model.cached_row(r) for r in range(model.rowCount())) if row]


def test_typing_words_of_a_document_in_the_search_box_finds_its_dossier(
    database: Database, window: MainWindow, qtbot: QtBot
) -> None:
    popa = register(database, application_code="ALI-2026-0001", surname="Popa", given_names="Ion")
    register(database, application_code="ALI-2026-0002", surname="Ionescu", given_names="Maria")
    _attach(database, popa.reference, "contratto.pdf", CONTRACT)
    window.refresh()
    qtbot.waitUntil(lambda: len(_names(window)) == 2, timeout=20_000)
    qtbot.keyClicks(window.dossiers.search, "contratto Cascina")
    qtbot.waitUntil(lambda: _names(window) == ["Popa Ion"], timeout=20_000)
    window.dossiers.search.clear()
    qtbot.keyClicks(window.dossiers.search, "contratto Moldova")
    qtbot.waitUntil(lambda: _names(window) == [], timeout=20_000)
