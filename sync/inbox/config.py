"""The inbox's settings keys (``inbox.dir``, ``inbox.polling``, …) read into options."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the watcher (watchdog) loads only where an inbox folder is set
    from sync.inbox.watcher import WatchOptions


class SettingsLike(Protocol):
    def get(self, key: str, default: str | None = None) -> str | None: ...


def _seconds(settings: SettingsLike, key: str, default: float) -> float:
    raw = settings.get(key)
    try:
        value = float(raw.replace(",", ".")) if raw else default
    except ValueError:
        return default
    return value if value >= 0 else default


def _polling(settings: SettingsLike) -> bool | None:
    raw = (settings.get("inbox.polling") or "").strip().lower()
    if raw in {"1", "true", "yes", "on", "si", "sì"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    return None  # automatic: polling on network shares


def inbox_dir(settings: SettingsLike) -> Path | None:
    raw = (settings.get("inbox.dir") or "").strip()
    return Path(raw).expanduser() if raw else None


def watch_options(settings: SettingsLike) -> WatchOptions:
    from sync.inbox.watcher import WatchOptions

    defaults = WatchOptions()
    return WatchOptions(
        polling=_polling(settings),
        stable_seconds=_seconds(settings, "inbox.stable_seconds", defaults.stable_seconds),
        rescan_seconds=_seconds(settings, "inbox.rescan_seconds", defaults.rescan_seconds),
        poll_seconds=_seconds(settings, "inbox.poll_seconds", defaults.poll_seconds),
    )
