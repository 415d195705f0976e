"""Documents on the shared server, attacked with direct SQL under each person's own login
role: a content's hash is an address, never a permission, and the inbox register follows
the dossiers it touched."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.factories import register
from tests.inbox_helpers import claim_and_process, make_processor, pdf_bytes, write_list
from tests.server_support import Server, register_as, upload_as

pytestmark = pytest.mark.postgres

ATTACH = (
    "INSERT INTO documents (id, version, dossier_id, file_name, sha256, size, media_type,"
    " received_at) VALUES (gen_random_uuid(), 1, %s, 'copia.pdf', %s, %s,"
    " 'application/pdf', now())"
)
SECRET = pdf_bytes("permesso art. 18: dichiarazione della vittima", 2048)


def one(server: Server, who: str, query: str, *params: Any) -> Any:
    with server.connect(who) as connection:
        row = connection.execute(query, params).fetchone()
    return None if row is None else row[0]


def refused(server: Server, who: str, query: str, *params: Any) -> str:
    with server.connect(who) as connection, pytest.raises(psycopg.Error) as caught:
        connection.execute(query, params)
        connection.commit()
    return str(caught.value.diag.message_primary)


def _restricted_scan(server: Server, tmp_path: Path) -> tuple[str, str]:
    """A cleared officer files a scan on an art. 18 dossier through the inbox (as the
    server's own service layer would); returns (its dossier id, the scan's SHA-256)."""
    dossier = register(server.service(), server.people["neri"], "ART18", application_code="V-18")
    processor = make_processor(server.service(), tmp_path / "arrivo", server.people["neri"])
    scan = tmp_path / "arrivo" / "V-18__dichiarazione.pdf"
    scan.write_bytes(SECRET)
    outcome = claim_and_process(processor, scan)
    processor.close()
    assert outcome.dossier == dossier.reference, outcome.problems
    return str(dossier.dossier_id), hashlib.sha256(SECRET).hexdigest()


def test_a_known_hash_does_not_open_a_restricted_scan(server: Server, tmp_path: Path) -> None:
    _hidden, digest = _restricted_scan(server, tmp_path)
    mine = register_as(server, "rossi")  # a dossier the uncleared officer may see
    # He learnt the hash somewhere (the register used to show it): pointing a document
    # of his own dossier at it must not hand him the scan.
    assert "non caricato" in refused(server, "bianchi", ATTACH, mine, digest, len(SECRET))
    assert one(server, "bianchi", "SELECT count(*) FROM documents WHERE sha256 = %s", digest) == 0
    for table in ("document_contents", "document_chunks"):
        query = f"SELECT count(*) FROM {table} WHERE sha256 = %s"
        assert one(server, "bianchi", query, digest) == 0, table
        assert one(server, "verdi", query, digest) == 1, table  # cleared: sees it
    # Nor can anyone write contents or chunks around the server's check.
    for statement in (
        "INSERT INTO document_contents (sha256, size) VALUES (%s, 1)",
        "INSERT INTO document_chunks (sha256, seq, data) VALUES (%s, 0, '\\x00')",
    ):
        assert "permission denied" in refused(server, "bianchi", statement, "f" * 64)


def test_the_register_follows_the_dossiers_it_touched(server: Server, tmp_path: Path) -> None:
    _hidden, digest = _restricted_scan(server, tmp_path)
    # A list with an art. 18 row, rejected: its reasons quote that row.
    victim = {
        "codice_domanda": "V-18B",
        "tipo_pratica": "ART18",
        "data_presentazione": "01/09/2026",
        "cognome": "Popescu",
        "nome": "Ana",
        "data_nascita": "04/03/1990",
        "cittadinanza": "ROU",
        "codice_fiscale": "NONVALIDO",
    }
    processor = make_processor(server.service(), tmp_path / "arrivo", server.people["neri"])
    rejected = claim_and_process(
        processor, write_list(tmp_path / "arrivo", "vittime.csv", [victim])
    )
    processor.close()
    assert rejected.problems
    everyone = "SELECT count(*) FROM imports"
    assert one(server, "verdi", everyone) == 2
    assert one(server, "bianchi", everyone) == 0
    assert one(server, "bianchi", "SELECT count(*) FROM imports WHERE sha256 = %s", digest) == 0
    quoting = "SELECT count(*) FROM imports WHERE reason LIKE %s"
    assert one(server, "verdi", quoting, "%NONVALIDO%") == 1
    assert one(server, "bianchi", quoting, "%NONVALIDO%") == 0
    # Their audit entries carry the same text: hidden too.
    hidden_audit = "SELECT count(*) FROM audit_log WHERE table_name = 'imports'"
    assert one(server, "bianchi", hidden_audit) == 0
    assert one(server, "verdi", hidden_audit) == 2
    # An entry about an ordinary dossier is visible to both offices.
    rossi = server.people["rossi"]
    register(server.service(), rossi, application_code="ORD-1")
    processor = make_processor(server.service(), tmp_path / "arrivo", rossi)
    scan = tmp_path / "arrivo" / "ORD-1__passaporto.pdf"
    scan.write_bytes(pdf_bytes("passaporto"))
    claim_and_process(processor, scan)
    processor.close()
    assert one(server, "bianchi", everyone) == 1
    # Nobody without the clearance files an entry under a restricted dossier, nor
    # unmarks one.
    hidden_id = _hidden
    insert = (
        "INSERT INTO imports (id, version, file_name, sha256, kind, status, actor, workstation,"
        " imported_at, rows_created, rows_updated, rows_unchanged, rows_rejected, stored_path,"
        " reason, dossier_id) VALUES (gen_random_uuid(), 1, 'x.pdf', 'x', 'documento',"
        " 'importato', 'x', '', now(), 0, 0, 0, 0, '', '', %s)"
    )
    assert "row-level security" in refused(server, "bianchi", insert, hidden_id)


def test_the_server_checks_the_bytes_against_the_hash(server: Server) -> None:
    mine = register_as(server, "rossi")
    forged = "0" * 64
    with server.connect("rossi") as connection:
        connection.execute(
            "INSERT INTO document_uploads (uploader, sha256, seq, data) VALUES (%s, %s, 0, %s)",
            (server.people["rossi"], forged, b"%PDF-altro"),
        )
        stored = connection.execute(
            f"SELECT {server.roles.schema}.store_content(%s, 10)", (forged,)
        ).fetchone()
        connection.commit()
    assert stored == (False,)
    assert one(server, "rossi", "SELECT count(*) FROM document_uploads") == 0
    assert (
        one(server, "verdi", "SELECT count(*) FROM document_contents WHERE sha256 = %s", forged)
        == 0
    )
    assert "non caricato" in refused(server, "rossi", ATTACH, mine, forged, 10)
    # Chunks are uploaded in one's own name only, and nobody sees another's.
    assert "row-level security" in refused(
        server,
        "bianchi",
        "INSERT INTO document_uploads (uploader, sha256, seq, data) VALUES (%s, %s, 0, 'x')",
        server.people["rossi"],
        forged,
    )


def test_uploading_bytes_one_holds_reveals_nothing_hidden(server: Server, tmp_path: Path) -> None:
    hidden, digest = _restricted_scan(server, tmp_path)
    mine = register_as(server, "rossi")  # an ordinary dossier: the Questura sees it
    # Someone who really holds the same bytes uploads them: the server answers exactly
    # as for a new content, and he may then attach his own copy...
    assert upload_as(server, "bianchi", SECRET) == digest
    with server.connect("bianchi") as connection:
        connection.execute(ATTACH, (mine, digest, len(SECRET)))
        connection.commit()
    # ...but the restricted dossier's document stays hidden.
    rows = "SELECT count(*) FROM documents WHERE sha256 = %s"
    assert one(server, "bianchi", rows, digest) == 1
    assert one(server, "verdi", rows, digest) == 2
    on_hidden = "SELECT count(*) FROM documents WHERE dossier_id = %s"
    assert one(server, "bianchi", on_hidden, hidden) == 0


def test_a_document_keeps_its_content_and_its_dossier(server: Server) -> None:
    first, other = register_as(server, "rossi"), register_as(server, "rossi")
    digest = upload_as(server, "rossi", pdf_bytes("contratto"))
    decoy = upload_as(server, "rossi", pdf_bytes("altro"))
    with server.connect("rossi") as connection:
        connection.execute(ATTACH, (first, digest, 10))
        connection.commit()
    for change, value in (("sha256", decoy), ("dossier_id", other)):
        query = f"UPDATE documents SET {change} = %s WHERE dossier_id = %s"
        assert "non" in refused(server, "rossi", query, value, first)  # refused, in Italian
    assert one(server, "rossi", "SELECT sha256 FROM documents WHERE dossier_id = %s", first) == (
        digest
    )


def test_where_a_batch_part_came_from_is_never_rewritten(server: Server) -> None:
    """The kind a separator named, the batch and its pages are facts of the receipt: not
    the other office, nor the office that received it, rewrites them by direct SQL."""
    dossier = register_as(server, "rossi")
    digest = upload_as(server, "rossi", pdf_bytes("contratto Cascina"))
    with server.connect("rossi") as connection:
        connection.execute(
            "INSERT INTO documents (id, version, dossier_id, file_name, sha256, size, media_type,"
            " received_at, kind, source_batch, source_pages) VALUES (gen_random_uuid(), 1, %s,"
            " 'contratto-2026-12-03.pdf', %s, 10, 'application/pdf', now(), 'contratto',"
            " 'scansione_0001.pdf', '2-4')",
            (dossier, digest),
        )
        connection.commit()
    facts = "SELECT kind, source_batch, source_pages FROM documents WHERE dossier_id = %s"
    with server.connect("bianchi") as connection:  # the other office sees the document
        assert connection.execute(facts, (dossier,)).fetchone() == (
            "contratto",
            "scansione_0001.pdf",
            "2-4",
        )
    for who in ("bianchi", "rossi"):
        for column, value in (
            ("kind", "altro"),
            ("source_batch", "falso.pdf"),
            ("source_pages", "1"),
        ):
            query = f"UPDATE documents SET {column} = %s WHERE dossier_id = %s"
            assert "non si riscrive" in refused(server, who, query, value, dossier), (who, column)
    with server.admin() as connection:
        assert connection.execute(facts, (dossier,)).fetchone() == (
            "contratto",
            "scansione_0001.pdf",
            "2-4",
        )


def test_a_documents_text_is_as_confidential_as_the_document(
    server: Server, tmp_path: Path
) -> None:
    """The text read from a restricted scan is hidden from an uncleared officer like the
    scan itself; only the office that received a document writes its text."""
    hidden, _digest = _restricted_scan(server, tmp_path)
    with server.admin() as connection:  # the text, as the cleared officer's reader stored it
        connection.execute(
            "UPDATE documents SET text = 'dichiarazione della vittima' WHERE dossier_id = %s",
            (hidden,),
        )
        connection.commit()
    words = "SELECT count(*) FROM documents WHERE text LIKE '%%vittima%%'"
    assert one(server, "bianchi", words) == 0  # uncleared: not even that it exists
    assert one(server, "verdi", words) == 1  # cleared
    dossier = register_as(server, "rossi")
    digest = upload_as(server, "rossi", pdf_bytes("contratto Cascina"))
    with server.connect("rossi") as connection:
        connection.execute(ATTACH, (dossier, digest, 10))
        connection.commit()
    query = "UPDATE documents SET text = 'falso' WHERE dossier_id = %s"
    assert "trascrivere" in refused(server, "bianchi", query, dossier)  # the other office
    query = "UPDATE documents SET text_problem = 'illeggibile' WHERE dossier_id = %s"
    assert "trascrivere" in refused(server, "bianchi", query, dossier)  # nor why it failed
    with server.connect("rossi") as connection:  # the receiving office may
        connection.execute(
            "UPDATE documents SET text = 'contratto cascina' WHERE dossier_id = %s", (dossier,)
        )
        connection.commit()
    assert one(server, "bianchi", "SELECT text FROM documents WHERE dossier_id = %s", dossier) == (
        "contratto cascina"
    )


def test_the_text_index_finds_only_what_the_caller_may_see(server: Server, tmp_path: Path) -> None:
    """The trigram index on documents' text (migration 0017) answers under the row-level
    security of ``documents``: forced onto the index, an uncleared officer's search
    still finds nothing of a restricted dossier's text."""
    hidden, _digest = _restricted_scan(server, tmp_path)
    with server.admin() as connection:
        connection.execute(
            "UPDATE documents SET text = 'dichiarazione della vittima cascina' "
            "WHERE dossier_id = %s",
            (hidden,),
        )
        connection.commit()
    index = "SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_documents_text_trgm'"
    assert one(server, "bianchi", index) == 1
    search = (
        "SELECT count(*) FROM documents WHERE deleted_at IS NULL"
        " AND text LIKE '%%vittima%%' AND text LIKE '%%cascina%%'"
    )
    found = {}
    for who in ("bianchi", "rossi", "verdi", "neri"):
        with server.connect(who) as connection:
            connection.execute("SET enable_seqscan = off")  # the index, wherever it can
            found[who] = connection.execute(search).fetchone()[0]  # type: ignore[index]
    assert found == {"bianchi": 0, "rossi": 0, "verdi": 1, "neri": 1}
