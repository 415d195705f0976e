"""Which files in the inbox are complete, and claiming them by moving them away.

Windows reports a new file when writing *starts*, and copies over a share arrive in
pieces: a file is taken only once its size and modification time have not changed for
``stable_seconds`` and it can be opened without waiting for another program.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sync.inbox.files import free_name, is_ignored


def candidates(root: Path) -> list[Path]:
    """Files lying in the inbox root (not in its sub-folders), clutter left out."""
    found = []
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and not is_ignored(entry.name):
                found.append(Path(entry.path))
    return sorted(found)


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    since: float


class Readiness:
    """Remembers what each file looked like and since when it has not changed."""

    def __init__(self, stable_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.stable_seconds = stable_seconds
        self.clock = clock
        self._seen: dict[Path, _Seen] = {}

    @property
    def pending(self) -> int:
        return len(self._seen)

    def ready(self, paths: Iterable[Path]) -> list[Path]:
        now = self.clock()
        ready: list[Path] = []
        current = set()
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            current.add(path)
            seen = self._seen.get(path)
            if seen is None or (seen.size, seen.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
                self._seen[path] = _Seen(stat.st_size, stat.st_mtime_ns, now)
                continue
            # An empty file is often a placeholder its writer has not filled yet.
            if stat.st_size and now - seen.since >= self.stable_seconds and is_openable(path):
                ready.append(path)
        for gone in set(self._seen) - current:
            del self._seen[gone]
        return ready

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)


def is_openable(path: Path) -> bool:
    """Readable now, and not locked by a program still writing it.

    On Windows a writer's open handle makes opening (or the claiming rename) fail; on
    POSIX locks are advisory, so an exclusive ``flock``/``lockf`` lock counts as busy.
    """
    try:
        with path.open("rb") as handle:
            handle.read(1)
            if sys.platform != "win32":
                return _unlocked(handle.fileno())
    except OSError:
        return False
    return True


def _unlocked(fd: int) -> bool:
    import fcntl

    for lock in (fcntl.flock, fcntl.lockf):
        try:
            lock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            return False  # another process holds it
        except OSError:
            continue  # no locking on this filesystem (some SMB/NFS mounts): nothing to wait for
        lock(fd, fcntl.LOCK_UN)
    return True


def claim(path: Path, working: Path) -> Path | None:
    """Move a ready file into this workstation's working folder; None when another
    process took it first or it is still held open (Windows refuses the rename)."""
    working.mkdir(parents=True, exist_ok=True)
    target = free_name(working, path.name, fit=False)
    try:
        os.rename(path, target)
    except (FileNotFoundError, PermissionError):
        return None
    except OSError:
        return None
    return target
