"""The inbox folder's layout, which files it takes, and moving files without overwriting."""

from __future__ import annotations

import hashlib
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

WORKING_DIR = "in_lavorazione"
IMPORTED_DIR = "importati"
REJECTED_DIR = "scartati"
REASON_SUFFIX = ".motivo.txt"

LIST_SUFFIXES = frozenset({".csv"})
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}
_IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db"})
# What browsers, office suites, editors and copy tools write while a file is incomplete.
_TEMPORARY_SUFFIXES = (
    ".tmp",
    ".temp",
    ".part",
    ".partial",
    ".crdownload",
    ".download",
    ".filepart",
    ".swp",
    ".lock",
    "~",
)


class FileKind(StrEnum):
    APPLICATION_LIST = "elenco"
    DOCUMENT = "documento"
    UNSUPPORTED = "non_accettato"


def is_ignored(name: str) -> bool:
    """System clutter and temporary files: never claimed, never reported."""
    lower = name.lower()
    return (
        lower in _IGNORED_NAMES
        or lower.startswith(("._", "~$", ".", "~"))
        or lower.endswith(_TEMPORARY_SUFFIXES)
        or lower.endswith(REASON_SUFFIX)
    )


def kind_of(name: str) -> FileKind:
    suffix = Path(name).suffix.lower()
    if suffix in LIST_SUFFIXES:
        return FileKind.APPLICATION_LIST
    if suffix in DOCUMENT_TYPES:
        return FileKind.DOCUMENT
    return FileKind.UNSUPPORTED


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def workstation_name() -> str:
    return socket.gethostname() or "postazione"


@dataclass(frozen=True)
class InboxFolders:
    """``root`` receives files; each workstation claims into its own working folder, so a
    workstation recovering after a crash never takes a file another one is reading."""

    root: Path
    workstation: str

    @classmethod
    def at(cls, root: Path, workstation: str | None = None) -> InboxFolders:
        return cls(root, workstation or workstation_name())

    @property
    def working(self) -> Path:
        return self.root / WORKING_DIR / _safe(self.workstation)

    @property
    def imported(self) -> Path:
        return self.root / IMPORTED_DIR

    @property
    def rejected(self) -> Path:
        return self.root / REJECTED_DIR

    def ensure(self) -> None:
        for folder in (self.working, self.imported, self.rejected):
            folder.mkdir(parents=True, exist_ok=True)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "postazione"


# One path component: 255 bytes on Linux and macOS (Windows counts 255 UTF-16 units).
MAX_NAME_BYTES = 255
# What a stored copy may need beside its name: a date stamp and its reason file.
_STORED_ROOM = len(".20261203-101500-9999") + len(REASON_SUFFIX)


def fitting_name(name: str) -> str:
    """``name``, or its stem cut short (at a character boundary, marked with ``~``) so
    that a dated variant of it and its ``.motivo.txt`` fit in one path component."""
    budget = MAX_NAME_BYTES - _STORED_ROOM
    if len(name.encode("utf-8")) <= budget:
        return name
    stem, suffix = Path(name).stem, Path(name).suffix
    if len(suffix.encode("utf-8")) > 16:
        stem, suffix = name, ""
    room = budget - len(suffix.encode("utf-8")) - 1
    return stem.encode("utf-8")[:room].decode("utf-8", errors="ignore") + "~" + suffix


def _taken(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name too long to exist at all, among others
        return False


def free_name(folder: Path, name: str, *, fit: bool = True) -> Path:
    """``folder/name``, or a dated variant when that name is taken: nothing is overwritten.

    ``fit``: a name too long to get a reason file beside it is cut short first (the
    import register keeps the original); a file claimed into the working folder keeps it.
    """
    name = fitting_name(name) if fit else name
    target = folder / name
    if not _taken(target) and not _taken(folder / (name + REASON_SUFFIX)):
        return target
    stem, suffix = Path(name).stem, Path(name).suffix
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1, 10_000):
        extra = f"{stamp}" if n == 1 else f"{stamp}-{n}"
        target = folder / f"{stem}.{extra}{suffix}"
        if not _taken(target):
            return target
    raise FileExistsError(f"nessun nome libero per {name} in {folder}")


def move(source: Path, target: Path) -> Path:
    """Rename within the inbox's filesystem; refuses to replace an existing file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise FileExistsError(f"{target} esiste già")
    os.rename(source, target)
    return target


class WorkingLock:
    """Held by the one watcher of a workstation's working folder, so that a second one
    started on the same machine (the GUI beside ``raccordo watch``) never "recovers" a
    file the first is importing. The operating system drops the lock when a process
    dies, so a crash never leaves it behind."""

    NAME = ".raccordo-lock"

    def __init__(self, folder: Path) -> None:
        self.path = folder / self.NAME
        self._handle: BinaryIO | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self) -> bool:
        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+b")
        try:
            if os.name == "nt":
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()
