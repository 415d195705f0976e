"""Times scanner batches (issue 16): a stack cut at its separators and filed, no OCR.

    .venv/bin/python scripts/benchmark_batch.py [--pages 100] [--dpi 300] [--runs 3]
        [--memory 100,1000]

Builds its own batches: ReportLab-printed separator sheets and typed pages rasterised at
``--dpi`` in grey with noise and a 2-3° skew (one in five upside down), a separator
every fourth page, packed as a scanner's PDF of JPEG pages. Each run files a fresh copy
through ``InboxProcessor`` into a temporary SQLite database (target: 100 pages at 300 dpi
in 30 s). Then, in a new process per size, the peak resident memory of filing a batch
of each ``--memory`` size: it should not grow with the batch. Prints medians; exit
status 1 when the time target is missed.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop.config import resolve  # noqa: E402
from desktop.wiring import open_database  # noqa: E402
from models.services.admin import add_user  # noqa: E402
from models.uow import Database  # noqa: E402
from sync.inbox.files import InboxFolders  # noqa: E402
from sync.inbox.processor import InboxProcessor  # noqa: E402
from sync.inbox.scanner import claim  # noqa: E402
from tests.factories import register  # noqa: E402
from tests.scan_helpers import Sheet, page_images  # noqa: E402

USER = "rossi"
TARGET_SECONDS = 30.0
DOSSIERS = 5
DISTINCT_PAGES = 6


def prepare(home: Path) -> tuple[Database, list[str]]:
    database = open_database(resolve(home=str(home), db=None))
    with database.unit_of_work("admin", write=True) as uow:
        add_user(uow, USER, "LO-SUI", "sui_clerk", False, "Mario Rossi")
        uow.commit()
    references = [register(database, USER).reference for _ in range(DOSSIERS)]
    return database, references


def build_batch(database: Database, references: list[str], pages: int, dpi: int, out: Path) -> None:
    """A few distinct scanned pages, repeated (as page objects) to ``pages`` pages."""
    from pypdf import PdfReader, PdfWriter

    kinds = ("passaporto", "contratto", "certificato", "ricevuta", "altro")
    sheets = [Sheet(separator=r, kind=kinds[n % len(kinds)]) for n, r in enumerate(references)]
    sheets += [
        Sheet(f"Documento {n} Cascina Bassiana", upside_down=n == 3) for n in range(DISTINCT_PAGES)
    ]
    images = page_images(database, sheets, dpi=dpi)
    buffer = BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    distinct = PdfReader(BytesIO(buffer.getvalue())).pages
    writer = PdfWriter()
    for n in range(pages):
        if n % 4 == 0:
            writer.add_page(distinct[(n // 4) % DOSSIERS])
        else:
            writer.add_page(distinct[DOSSIERS + n % DISTINCT_PAGES])
    with out.open("wb") as handle:
        writer.write(handle)


def file_batch(database: Database, inbox: Path, batch: Path) -> tuple[float, int]:
    folders = InboxFolders.at(inbox, "bench")
    folders.ensure()
    processor = InboxProcessor(database, USER, folders)
    copy = shutil.copy(batch, inbox / f"scansione-{time.monotonic_ns()}.pdf")
    claimed = claim(Path(copy), folders.working)
    assert claimed is not None
    start = time.perf_counter()
    outcome = processor.process(claimed)
    elapsed = time.perf_counter() - start
    processor.close()
    if outcome.status.value != "importato":
        raise SystemExit(f"batch rejected: {outcome.problems[:3]}")
    return elapsed, outcome.created + outcome.unchanged


def build(pages: int, dpi: int, work: Path) -> None:
    database, references = prepare(work / "home")
    build_batch(database, references, pages, dpi, work / "batch.pdf")


def child(work: Path) -> None:
    """In its own process, so its peak memory is the filing's: file one batch; prints
    time, parts and peak RSS."""
    database = open_database(resolve(home=str(work / "home"), db=None))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    elapsed, parts = file_batch(database, work / "arrivo", work / "batch.pdf")
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "cpu": cpu,  # steadier than wall time on a busy machine
                "parts": parts,
                "rss_before": usage.ru_maxrss,
                "peak": after.ru_maxrss,
            }
        )
    )


def run_child(pages: int, dpi: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="raccordo-batch-") as work:
        command = [sys.executable, __file__, "--dpi", str(dpi), "--work", work]
        subprocess.run([*command, "--build", str(pages)], check=True, capture_output=True)
        done = subprocess.run([*command, "--child"], check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory", default="100,1000", help="batch sizes for peak RSS")
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.build, args.dpi, args.work)
        return 0
    if args.child:
        child(args.work)
        return 0

    times: list[float] = []
    cpu_times: list[float] = []
    for run in range(args.runs):
        result = run_child(args.pages, args.dpi)
        times.append(result["seconds"])
        cpu_times.append(result["cpu"])
        print(
            f"run {run + 1}: {args.pages} pages at {args.dpi} dpi in {result['seconds']:.1f} s "
            f"({result['cpu']:.1f} s of CPU), peak RSS {result['peak'] / 1024:.0f} MiB"
        )
    median = statistics.median(times)
    print(
        f"median: {median:.1f} s for {args.pages} pages "
        f"({1000 * median / args.pages:.0f} ms a page); target {TARGET_SECONDS:.0f} s, "
        f"ratio {median / TARGET_SECONDS:.2f}; median CPU time {statistics.median(cpu_times):.1f} s"
    )
    for size in (int(s) for s in args.memory.split(",") if s.strip()):
        result = run_child(size, args.dpi)
        if size != args.pages:
            print(f"{size} pages: {result['parts']:.0f} parts")
        # ru_maxrss is in KiB on Linux
        print(
            f"{size} pages: filed in {result['seconds']:.1f} s, peak RSS while filing "
            f"{result['peak'] / 1024:.0f} MiB (before: {result['rss_before'] / 1024:.0f} MiB)"
        )
    return 0 if median <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
