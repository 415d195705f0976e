"""Times the main search box on the words of documents, with and without the index of
their text (migration 0017), on the embedded SQLite database.

    .venv/bin/python scripts/benchmark_document_search.py [--dossiers 5000]
        [--documents 10000] [--words 300] [--runs 7]

Builds a fresh home with ``--dossiers`` demo dossiers and ``--documents`` documents with
``--words`` words of Italian text each (one in a hundred a «contratto ... Cascina»), then
times, as the window's first screen runs it (``models.read``), the search «contratto
Cascina»: with the index, and without it (the same query reading every text with LIKE,
as before the index). Prints the medians of ``--runs`` runs and the dossiers found.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import models.read.dossiers as dossier_reads  # noqa: E402
from desktop.config import resolve  # noqa: E402
from desktop.demo import generate  # noqa: E402
from desktop.wiring import open_database  # noqa: E402
from models.read.connection import open_reader  # noqa: E402
from models.read.dossiers import DossierReads, load_viewer  # noqa: E402
from models.read.filters import DossierFilter, text_words  # noqa: E402

USER = "rossi"
SEARCH = "contratto Cascina"
VOCABULARY = [
    "il",
    "la",
    "di",
    "che",
    "per",
    "con",
    "del",
    "della",
    "permesso",
    "soggiorno",
    "lavoro",
    "subordinato",
    "datore",
    "questura",
    "prefettura",
    "domanda",
    "rilascio",
    "rinnovo",
    "cittadino",
    "straniero",
    "ufficio",
    "sportello",
    "unico",
    "immigrazione",
    "nulla",
    "osta",
    "visto",
    "ingresso",
    "residenza",
    "comune",
    "provincia",
    "Brescia",
    "Milano",
    "Bergamo",
    "certificato",
    "anagrafico",
    "stato",
    "famiglia",
    "reddito",
    "dichiarazione",
    "firma",
    "timbro",
    "data",
    "luogo",
    "nascita",
    "passaporto",
    "numero",
    "scadenza",
    "documento",
    "identità",
    "azienda",
    "agricola",
    "stagionale",
    "mansione",
    "orario",
    "retribuzione",
    "mensile",
    "lordo",
    "contributi",
]


def _text(rng: random.Random, words: int, contract: bool) -> str:
    chosen = rng.choices(VOCABULARY, k=words)
    if contract:
        chosen[rng.randrange(words)] = "contratto"
        chosen[rng.randrange(words)] = "cascina"
    return " ".join(chosen).lower()


def _fill(path: Path, documents: int, words: int) -> int:
    """Documents with text on random dossiers; how many hold both searched words."""
    rng = random.Random(16)
    connection = sqlite3.connect(path)
    dossiers = [row[0] for row in connection.execute("SELECT id FROM dossiers")]
    staff = connection.execute("SELECT id FROM staff WHERE username = ?", (USER,)).fetchone()[0]
    rows = []
    for n in range(documents):
        contract = n % 100 == 0
        rows.append(
            (
                uuid.uuid4().hex,
                rng.choice(dossiers),
                f"documento-{n}.pdf",
                uuid.uuid4().hex * 2,
                staff,
                _text(rng, words, contract),
            )
        )
    connection.executemany(
        "INSERT INTO documents (id, version, change_seq, dossier_id, file_name, sha256, size,"
        " media_type, received_at, received_by_id, kind, source_batch, source_pages, text)"
        " VALUES (?, 1, 0, ?, ?, ?, 1000, 'application/pdf', '2026-12-01 10:00:00', ?, '',"
        " '', '', ?)",
        rows,
    )
    connection.commit()
    connection.close()
    return documents // 100


def _time(reads: DossierReads, runs: int) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(runs + 1):
        started = time.perf_counter()
        found = len(reads.list_records(DossierFilter(search=SEARCH), None))
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:]) * 1000, found  # the first run warms the cache


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=5000)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="raccordo-bench-") as home:
        workstation = resolve(home=home)
        database = open_database(workstation)
        generate(database, args.dossiers, 1)
        database.engine.dispose()
        path = Path(workstation.db_url.removeprefix("sqlite:///"))
        contracts = _fill(path, args.documents, args.words)
        reader = open_reader(workstation.db_url)
        assert reader is not None
        with reader:
            reads = DossierReads(reader, load_viewer(reader, USER), database.today())
            indexed, found = _time(reads, args.runs)
        # The same search without the index, as before migration 0017: every word a LIKE
        # on every text.
        dossier_reads.indexed_words = lambda needle: ("", text_words(needle))
        reader = open_reader(workstation.db_url)
        assert reader is not None
        with reader:
            reads = DossierReads(reader, load_viewer(reader, USER), database.today())
            scanned, found_scan = _time(reads, args.runs)
    print(
        f"{args.documents} documenti di {args.words} parole ({contracts} con «{SEARCH}»), "
        f"{args.dossiers} pratiche: con l'indice {indexed:.1f} ms, senza {scanned:.1f} ms "
        f"(mediane di {args.runs}); pratiche trovate {found} / {found_scan}"
    )
    return 0 if found == found_scan else 1


if __name__ == "__main__":
    sys.exit(main())
