"""A read timeout for the server's connections, which libpq does not have.

A statement whose answer has not arrived after ``seconds`` (a router that died, a link
that stopped forwarding) would wait for ever: TCP keepalives notice a dead peer only
when nothing at all answers, not a stalled path that still acknowledges. The watcher
shuts that connection's socket down; the waiting read then fails at once with a
connection error, which the sync engine reports as "server non raggiungibile".
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from typing import Any

from sqlalchemy import Engine, event

log = logging.getLogger("raccordo.sync")

READ_TIMEOUT = 30.0  # seconds one statement may wait for the server's answer


class ReadDeadline:
    """Watches every statement run on ``engine``; one daemon thread, stopped by ``close``."""

    def __init__(self, engine: Engine, seconds: float | None = None) -> None:
        self.engine = engine
        self.seconds = READ_TIMEOUT if seconds is None else seconds
        self.expired = 0  # connections ended so far
        self._waiting: dict[int, tuple[float, Any]] = {}  # id(driver connection) → start
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        event.listen(engine, "before_cursor_execute", self._started)
        event.listen(engine, "after_cursor_execute", self._ended)
        event.listen(engine, "handle_error", self._failed)
        event.listen(engine, "checkin", self._checked_in)

    def _driver(self, connection: Any) -> Any:
        return connection.connection.driver_connection

    def _started(self, connection: Any, *_args: Any) -> None:
        driver = self._driver(connection)
        with self._lock:
            self._waiting[id(driver)] = (time.monotonic(), driver)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._watch, name="raccordo-read-deadline", daemon=True
                )
                self._thread.start()

    def _ended(self, connection: Any, *_args: Any) -> None:
        with self._lock:
            self._waiting.pop(id(self._driver(connection)), None)

    def _failed(self, context: Any) -> None:
        connection = getattr(context, "connection", None)
        if connection is not None:
            with contextlib.suppress(Exception):
                self._ended(connection)

    def _checked_in(self, dbapi_connection: Any, _record: Any) -> None:
        driver = getattr(dbapi_connection, "driver_connection", dbapi_connection)
        with self._lock:
            self._waiting.pop(id(driver), None)

    def _watch(self) -> None:
        pause = min(0.25, self.seconds / 4)
        while not self._stop.wait(pause):
            now = time.monotonic()
            with self._lock:
                late = [
                    key
                    for key, (started, _driver) in self._waiting.items()
                    if now - started > self.seconds
                ]
                drivers = [self._waiting.pop(key)[1] for key in late]
            for driver in drivers:
                self._cut(driver)

    def _cut(self, driver: Any) -> None:
        if getattr(driver, "closed", True):
            return
        try:
            fd = driver.pgconn.socket
            # A duplicate of the descriptor: shutting it down ends the connection for
            # the read that waits on the original; nothing is closed under it.
            with socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM) as duplicate:
                duplicate.shutdown(socket.SHUT_RDWR)
        except Exception as error:  # closed meanwhile, or no socket to shut
            log.warning("read deadline: could not end a stalled connection: %s", error)
            return
        self.expired += 1
        log.warning("server silent for %.0f s: connection ended", self.seconds)

    def close(self) -> None:
        self._stop.set()
        for name, listener in (
            ("before_cursor_execute", self._started),
            ("after_cursor_execute", self._ended),
            ("handle_error", self._failed),
            ("checkin", self._checked_in),
        ):
            with contextlib.suppress(Exception):
                event.remove(self.engine, name, listener)
        if self._thread is not None:
            self._thread.join(timeout=2)
