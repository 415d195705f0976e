"""Row ids: UUIDs laid out as RFC 9562's version 7, in the order they are made.

A random id (version 4) lands anywhere in every index keyed on it: thirty thousand new
rows change a page in nearly every leaf of those indexes, and SQLite does that work under
its write lock. Ids that grow with time are added at the end of those indexes instead,
a few pages in all. They are still unique without coordination (74 random or counting
bits after the millisecond), so workstations keep making them offline.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid

_COUNTER_BITS = 42  # 12 in rand_a, 30 at the top of rand_b
_lock = threading.Lock()
_last = (0, 0)  # (millisecond, counter) of the last id made by this process


def new_id() -> uuid.UUID:
    """A new id, greater than every id this process made before."""
    global _last
    with _lock:
        now = time.time_ns() // 1_000_000
        last_ms, last_counter = _last
        if now > last_ms:
            # A random start, with room left to count up within the millisecond.
            ms, counter = now, secrets.randbits(_COUNTER_BITS - 1)
        elif last_counter + 1 < 1 << _COUNTER_BITS:
            ms, counter = last_ms, last_counter + 1
        else:
            ms, counter = last_ms + 1, secrets.randbits(_COUNTER_BITS - 1)
        _last = (ms, counter)
    value = (
        (ms & (1 << 48) - 1) << 80
        | 0x7 << 76  # version
        | (counter >> 30) << 64
        | 0b10 << 62  # variant
        | (counter & (1 << 30) - 1) << 32
        | secrets.randbits(32)
    )
    return uuid.UUID(int=value)


def provisional_reference(dossier_id: uuid.UUID) -> str:
    """What a dossier made on a workstation is called until the server numbers it: its
    id's last eight hexadecimal digits, random in both versions (the first ones of a
    version 7 id are the minute it was made, shared by a whole list)."""
    return f"PROVV-{dossier_id.hex[-8:].upper()}"


def is_provisionally(dossier_id: uuid.UUID, digits: str) -> bool:
    """Whether ``PROVV-<digits>`` names the dossier with this id."""
    return dossier_id.hex[-8:] == digits.lower()
