"""Scanned documents between workstations and the shared server: the content travels in
its own phase (up before the push, down after the pull), in chunks, resumable, and a row
the replica cannot apply never stops the rest of a pull."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from pathlib import Path

import pytest
from sqlalchemy import select, text

from desktop.cli.main import main
from models.documents import CHUNK_SIZE, Document, DocumentChunk, DocumentContent
from models.errors import NotFound
from models.read.filters import DossierFilter
from models.services.contents import content_chunks
from models.services.document_text import store_text
from models.services.inbox import (
    DocumentFacts,
    attach_document,
    document_content,
    dossier_documents,
)
from models.services.queries import list_dossiers
from models.services.registration import register_dossier, update_dossier
from models.sync_tables import SyncTransfer
from models.uow import Database
from tests.conftest import Clock
from tests.inbox_helpers import claim_and_process, make_processor, pdf_bytes
from tests.sync_support import MemoryKeyring, SharedServer, Station, station

pytestmark = pytest.mark.postgres
pytest_plugins = ["tests.sync_fixtures"]

PERSON = {
    "surname": "Țurcanu",
    "given_names": "Ștefan",
    "birth_date": "1990-03-04",
    "nationality": "ROU",
    "employer_name": "Cascina Bassiana srl",
    "employer_fiscal_code": "00743110157",
    "filed_on": "2026-11-20",
    "quota_assigned_on": "2026-11-21",
}


class Interrupted(Exception):
    """The network went away in the middle of a transfer."""


def _registered(where: Station, code: str) -> str:
    with where.replica.unit_of_work(where.user, write=True) as uow:
        dossier_id = str(
            register_dossier(uow, "NO_LAVORO", {**PERSON, "application_code": code}).dossier_id
        )
        uow.commit()
    assert where.engine.sync_once().error is None
    return dossier_id


def _scan(where: Station, root: Path, name: str, data: bytes) -> None:
    """Dropped in the workstation's inbox folder and filed by its watcher."""
    processor = make_processor(where.replica, root, where.user)
    (root / name).write_bytes(data)
    outcome = claim_and_process(processor, root / name)
    processor.close()
    assert outcome.dossier is not None, outcome.problems


def _documents(where: Station, dossier_id: str) -> list[DocumentFacts]:
    with where.replica.unit_of_work(where.user) as uow:
        return dossier_documents(uow, dossier_id)


def _content(where: Station, document_id: object) -> bytes:
    with where.replica.unit_of_work(where.user) as uow:
        return document_content(uow, str(document_id))[1]


def _server_bytes(shared: SharedServer, sha256: str) -> bytes:
    with shared.engine().connect() as connection:
        chunks = connection.execute(
            text("SELECT data FROM document_chunks WHERE sha256 = :s ORDER BY seq"), {"s": sha256}
        ).scalars()
        return b"".join(bytes(c) for c in chunks)


def test_a_scan_filed_on_a_workstation_reaches_the_server_and_the_other_office(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    sui = station(shared, "rossi", tmp_path / "sui", clock)
    questura = station(shared, "bianchi", tmp_path / "questura", clock)
    dossier = _registered(sui, "ALI-2026-0901")
    data = pdf_bytes("passaporto", 3 * CHUNK_SIZE // 2)
    _scan(sui, tmp_path / "arrivo", "ALI-2026-0901__passaporto.pdf", data)
    # Filed only once its content is stored here and queued for the server.
    assert (tmp_path / "arrivo" / "importati" / "ALI-2026-0901__passaporto.pdf").is_file()
    with sui.replica.sessions() as session:
        assert session.scalars(select(SyncTransfer.direction)).all() == ["up"]

    sent = sui.engine.sync_once()
    assert (sent.error, sent.uploaded, sent.refused, sent.queued) == (None, 1, 0, 0)
    digest = hashlib.sha256(data).hexdigest()
    assert _server_bytes(shared, digest) == data
    with sui.replica.sessions() as session:
        assert session.scalars(select(SyncTransfer)).all() == []

    received = questura.engine.sync_once()
    assert (received.error, received.downloaded, received.missing) == (None, 1, 0)
    [document] = _documents(questura, dossier)
    assert document.downloaded is True and document.sha256 == digest
    assert _content(questura, document.id) == data
    sui.close()
    questura.close()


def test_a_document_attached_on_the_server_reaches_old_and_fresh_replicas(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    questura = station(shared, "bianchi", tmp_path / "questura", clock)
    direct = Database(shared.engine(), clock)
    rossi = shared.users["rossi"]
    with direct.unit_of_work(rossi, write=True) as uow:
        registered = register_dossier(uow, "NO_LAVORO", {**PERSON, "application_code": "SRV-1"})
        uow.commit()
    data = pdf_bytes("contratto di soggiorno", 5000)
    digest = hashlib.sha256(data).hexdigest()
    with direct.unit_of_work(rossi, write=True) as uow:
        attach_document(uow, ["SRV-1"], "SRV-1__contratto.pdf", data, digest, "application/pdf")
        uow.commit()
    with direct.unit_of_work(rossi, write=True) as uow:  # its text, read by the SUI
        [attached] = uow.session.scalars(select(Document.id)).all()
        store_text(uow, attached, "Contratto di soggiorno, Cascina Bassiana")
        uow.commit()
    with direct.unit_of_work(rossi, write=True) as uow:  # a later change, after the document
        update_dossier(uow, str(registered.dossier_id), {"given_names": "Ion"})
        uow.commit()

    result = questura.engine.sync_once()
    assert (result.error, result.downloaded, result.quarantined) == (None, 1, 0)
    [document] = _documents(questura, str(registered.dossier_id))
    assert _content(questura, document.id) == data
    assert questura.engine.sync_once().error is None  # and the next pull too

    # A replica made now gets the row first, then its content with the first sync.
    fresh = station(shared, "gialli", tmp_path / "fresh", clock)
    [row] = _documents(fresh, str(registered.dossier_id))
    assert row.downloaded is False
    with pytest.raises(NotFound, match="contenuto non ancora scaricato"):
        _content(fresh, row.id)
    assert main(["--home", str(fresh.home), "--user", fresh.user, "sync", "status"]) == 0
    assert fresh.engine.sync_once().downloaded == 1
    assert _content(fresh, row.id) == data
    for where in (questura, fresh):  # its words are found through each replica's index
        with where.replica.unit_of_work(where.user) as uow:
            found = list_dossiers(uow, DossierFilter(search="soggiorno Cascina"), None)
        assert [str(f.id) for f in found] == [str(registered.dossier_id)], where.user
        where.close()


def test_interrupted_transfers_resume_where_they_stopped(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    sui = station(shared, "rossi", tmp_path / "sui", clock)
    questura = station(shared, "bianchi", tmp_path / "questura", clock)
    dossier = _registered(sui, "ALI-2026-0902")
    data = pdf_bytes("fascicolo scansionato", 4 * CHUNK_SIZE - 100)  # four chunks
    _scan(sui, tmp_path / "arrivo", "ALI-2026-0902__fascicolo.pdf", data)
    moved: list[tuple[str, int]] = []

    def cut_after(count: int) -> object:
        def on_chunk(direction: str, _sha256: str, seq: int) -> None:
            moved.append((direction, seq))
            if len(moved) == count:
                raise Interrupted

        return on_chunk

    with pytest.raises(Interrupted):
        sui.engine.sync_once(cut_after(1))
    with sui.replica.sessions() as session:
        progress = session.scalars(select(SyncTransfer.done_bytes)).one()
    assert progress == CHUNK_SIZE  # remembered here; the server keeps the chunk
    assert sui.engine.queued() == 1  # the document waits for its content
    moved.clear()
    assert sui.engine.sync_once(cut_after(99)).uploaded == 1
    assert moved == [("up", 1), ("up", 2), ("up", 3)]  # the first chunk is not sent again

    moved.clear()
    with pytest.raises(Interrupted):
        questura.engine.sync_once(cut_after(2))
    [document] = _documents(questura, dossier)
    assert document.downloaded is False
    moved.clear()
    assert questura.engine.sync_once(cut_after(99)).downloaded == 1
    assert moved == [("down", 2), ("down", 3)]
    assert _content(questura, document.id) == data
    with questura.replica.sessions() as session:
        assert session.scalars(select(SyncTransfer)).all() == []
    sui.close()
    questura.close()


def test_a_large_scan_moves_in_bounded_memory(
    shared: SharedServer, memory_keyring: MemoryKeyring, tmp_path: Path, clock: Clock
) -> None:
    sui = station(shared, "rossi", tmp_path / "sui", clock)
    questura = station(shared, "bianchi", tmp_path / "questura", clock)
    dossier = _registered(sui, "ALI-2026-0903")
    size = 50 * 1024 * 1024
    data = pdf_bytes("scansione ad alta risoluzione", size)
    digest = hashlib.sha256(data).hexdigest()
    _scan(sui, tmp_path / "arrivo", "ALI-2026-0903__scansione.pdf", data)
    del data
    bound = 8 * CHUNK_SIZE  # a handful of chunks, not the file
    for where, moved in ((sui, "uploaded"), (questura, "downloaded")):
        tracemalloc.start()
        try:
            result = where.engine.sync_once()
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert getattr(result, moved) == 1 and result.error is None
        assert peak < bound, f"{moved}: peak {peak / 1e6:.1f} MB"
    hashed, total = hashlib.sha256(), 0
    with questura.replica.sessions() as session:
        for chunk in content_chunks(session, digest):
            hashed.update(chunk)
            total += len(chunk)
        assert session.get(DocumentContent, digest) is not None
    assert (hashed.hexdigest(), total) == (digest, size)
    assert _documents(questura, dossier)[0].downloaded is True
    sui.close()
    questura.close()


def test_a_document_the_replica_refuses_is_quarantined_and_the_rest_arrives(
    shared: SharedServer,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
    clock: Clock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sui = station(shared, "rossi", tmp_path / "sui", clock)
    questura = station(shared, "bianchi", tmp_path / "questura", clock)
    dossier = _registered(sui, "ALI-2026-0904")
    assert questura.engine.sync_once().error is None
    # This replica cannot take one particular document (any local refusal would do).
    with questura.replica.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse_one BEFORE INSERT ON documents"
                " WHEN NEW.file_name LIKE '%rotto%'"
                " BEGIN SELECT RAISE(ABORT, 'documento rifiutato dalla copia locale'); END"
            )
        )
    _scan(sui, tmp_path / "arrivo", "ALI-2026-0904__rotto.pdf", pdf_bytes("rotto"))
    _scan(sui, tmp_path / "arrivo", "ALI-2026-0904__buono.pdf", pdf_bytes("buono"))
    with sui.replica.unit_of_work(sui.user, write=True) as uow:
        update_dossier(uow, dossier, {"given_names": "Ion"})
        uow.commit()
    assert sui.engine.sync_once().error is None

    result = questura.engine.sync_once()
    assert (result.error, result.quarantined, result.downloaded) == (None, 1, 1)
    assert [d.file_name for d in _documents(questura, dossier)] == ["ALI-2026-0904__buono.pdf"]
    with questura.replica.unit_of_work(questura.user) as uow:
        from models.services.lookup import get_dossier

        assert get_dossier(uow, dossier).given_names == "Ion"
    capsys.readouterr()
    home, user = str(questura.home), questura.user
    assert main(["--home", home, "--user", user, "sync", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    [line] = status["quarantine"]
    assert line.startswith("documento ") and "documento rifiutato dalla copia locale" in line
    assert questura.engine.sync_once().quarantined == 1  # still refused, still aside

    with questura.replica.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER refuse_one"))
    again = questura.engine.sync_once()
    assert (again.quarantined, again.downloaded) == (0, 1)
    assert len(_documents(questura, dossier)) == 2
    with questura.replica.sessions() as session:
        assert session.scalar(select(DocumentChunk.seq).limit(1)) is not None
    sui.close()
    questura.close()
