"""The workstation's log: a rotating file that never holds personal data or secrets.

What is logged is chosen with care (command names, counts, revisions, never a dossier's
contents); the filter below is the second line of defence: it masks passwords in URLs and
key=value pairs, SQL parameters in database errors, codici fiscali and passport-like
numbers, in messages and tracebacks alike.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.config import Workstation

LOG_FILE = "raccordo.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s [%(process)d %(threadName)s] %(name)s: %(message)s"
# SQLAlchemy logs statements with their parameters (names, codici fiscali) at INFO.
QUIET = ("sqlalchemy", "alembic.runtime.plugins", "PIL", "watchdog", "urllib3")

LEVELS = {
    "DEBUG": logging.DEBUG,
    "INFO": logging.INFO,
    "WARNING": logging.WARNING,
    "ERROR": logging.ERROR,
}

log = logging.getLogger("raccordo")

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\b[a-z][a-z0-9+.\-]*://[^\s:/@]*):[^\s@/]*@", re.IGNORECASE), r"\1:***@"),
    (
        re.compile(
            r"\b(password|passwd|pwd|secret|token)(\s*[=:]\s*)('[^']*'|\"[^\"]*\"|\S+)",
            re.IGNORECASE,
        ),
        r"\1\2***",
    ),
    (re.compile(r"\[parameters: [^\n]*"), "[parameters: ***]"),
    (
        re.compile(
            r"\b[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPR-T][0-9LMNPQRSTUV]{2}[A-Z]"
            r"[0-9LMNPQRSTUV]{3}[A-Z]\b",
            re.IGNORECASE,
        ),
        "[codice fiscale]",
    ),
    (re.compile(r"\b[A-Z]{1,2}[0-9]{6,8}\b"), "[documento]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message and traceback through :func:`redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_installed: list[logging.Handler] = []


def log_folder(home: Path, configured: str | None) -> Path:
    return Path(configured).expanduser() if configured else home / "logs"


def configure(home: Path, debug: bool = False) -> Path | None:
    """Send every log record to ``<log folder>/raccordo.log``; returns that file.

    The level is ``log.level`` from the settings (INFO by default), DEBUG with
    ``--debug``, which also copies the records to stderr. Calling it again replaces
    the handlers it installed before.
    """
    from logging.handlers import RotatingFileHandler

    from desktop.settings import load

    current = load(home)
    named = (current.effective("log.level") or "").strip().upper()
    level = logging.DEBUG if debug else LEVELS.get(named, logging.INFO)
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()
    formatter = logging.Formatter(FORMAT)
    target = log_folder(home, current.get("log.dir")) / LOG_FILE
    path: Path | None = target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        file_handler: logging.Handler = RotatingFileHandler(
            target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as error:  # a read-only profile must not stop the work
        print(f"avviso: registro non disponibile ({error})", file=sys.stderr)
        file_handler, path = logging.NullHandler(), None
    handlers = [file_handler]
    if debug:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
        _installed.append(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    _catch_uncaught()
    return path


class _SetUpOnFirstRecord(logging.Handler):
    """Stands in for the log file while a read-only command runs: most log nothing, and
    setting the file up (settings, rotation) costs more than their query. The first
    record sets it up (``configure``) and goes there."""

    def __init__(self, home: Path) -> None:
        super().__init__(logging.DEBUG)
        self.home = home

    def emit(self, record: logging.LogRecord) -> None:
        root = logging.getLogger()
        root.removeHandler(self)
        _installed.remove(self)
        configure(self.home)
        if record.levelno >= root.level:
            for handler in _installed:
                handler.handle(record)


def configure_lazily(home: Path) -> None:
    """``configure`` deferred until something is logged (at INFO or above)."""
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()
    stand_in = _SetUpOnFirstRecord(home)
    root.addHandler(stand_in)
    _installed.append(stand_in)
    root.setLevel(logging.INFO)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    _catch_uncaught()


def _catch_uncaught() -> None:
    """Uncaught errors (a Qt slot, a thread) reach the log with their traceback."""
    previous, previous_thread_hook = sys.excepthook, threading.excepthook
    if getattr(previous, "_raccordo", False):
        return

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.critical("uncaught error", exc_info=(kind, error, tb))
        previous(kind, error, tb)

    def thread_hook(arguments: threading.ExceptHookArgs) -> None:
        if arguments.exc_value is not None:
            log.critical(
                "uncaught error in thread %s",
                arguments.thread.name if arguments.thread else "?",
                exc_info=(arguments.exc_type, arguments.exc_value, arguments.exc_traceback),
            )
        previous_thread_hook(arguments)

    hook._raccordo = True  # type: ignore[attr-defined]
    sys.excepthook = hook
    threading.excepthook = thread_hook


def _describe(workstation: Workstation) -> None:
    from desktop.settings import load, site_file

    log.debug("workstation folder: %s", workstation.home)
    log.debug("database: %s", workstation.db_url)  # the filter masks a password
    log.debug("site file: %s", site_file())
    current = load(workstation.home)
    for key in sorted(current.values):
        locked = ", locked" if key in current.locked else ""
        log.debug("setting %s = %s (%s%s)", key, current.values[key], current.origin(key), locked)


def command_name(args: Any) -> str:
    """``dossier add``: the command and its action, never the arguments."""
    parts = [getattr(args, "command", None), getattr(args, "action", None)]
    return " ".join(str(part) for part in parts if part)


def run_logged(workstation: Workstation, args: Any, handler: Callable[[], Any]) -> Any:
    """Configure the log, record the start and the command's outcome, run it.

    A read-only command (``args.light``) records only a refusal or a failure, and sets
    the log file up only then (``configure_lazily``), unless ``--debug`` asks for more.
    """
    debug = bool(getattr(args, "debug", False))
    quiet = bool(getattr(args, "light", False)) and not debug
    name = command_name(args)
    if quiet:
        configure_lazily(workstation.home)
    else:
        _log_start(workstation, name, debug)
    started = time.perf_counter()
    try:
        result = handler()
    except Exception as error:
        from models.errors import DomainError

        if isinstance(error, DomainError):
            # The message may name a person: the kind of refusal is enough here.
            log.info("command %s refused: %s", name, type(error).__name__)
        else:
            log.exception("command %s failed", name)
        raise
    except KeyboardInterrupt:
        log.info("command %s interrupted", name)
        raise
    if not quiet:
        log.info("command %s ended (%.2f s)", name, time.perf_counter() - started)
    return result


def _log_start(workstation: Workstation, name: str, debug: bool) -> None:
    import platform

    from desktop import __version__

    configure(workstation.home, debug)
    frozen = " (pacchetto)" if getattr(sys, "frozen", False) else ""
    log.info(
        "Raccordo %s%s started: Python %s, %s",
        __version__,
        frozen,
        platform.python_version(),
        platform.platform(terse=True),
    )
    log.info("command: %s", name)
    if log.isEnabledFor(logging.DEBUG):
        _describe(workstation)
