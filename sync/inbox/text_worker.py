"""The background worker that reads documents' text: its own thread, one document at a
time, the OCR program below normal priority; nobody waits for it.

The queue is in the database (documents whose text is not read yet), so a restart picks
up where the last run stopped. The inbox's watcher ``wake``s it after each pass; it also
looks by itself every ``idle_seconds`` (documents a sync brought, a failure to retry
after a restart).
"""

from __future__ import annotations

import logging
import threading

from sync.inbox.texts import TextReader

log = logging.getLogger(__name__)
IDLE_SECONDS = 300.0


class TextWorker:
    def __init__(self, reader: TextReader, idle_seconds: float = IDLE_SECONDS) -> None:
        self.reader = reader
        self.idle_seconds = idle_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        reader.cancel = self._stop  # stopping also stops an OCR in progress
        self._thread: threading.Thread | None = None
        self.read = 0  # documents taken since the start (for tests and the log)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="raccordo-document-text", daemon=True
            )
            self._thread.start()

    def wake(self) -> None:
        """Look at the queue now (never waits)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                taken = self.reader.read_texts(limit=1)
            except Exception:  # the database busy or unreachable: try again later
                log.exception("document text: the queue could not be read")
                taken = 0
            self.read += taken
            if not taken:
                self._wake.wait(self.idle_seconds)
