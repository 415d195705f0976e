"""Raccordo's own settings file (an INI beside the database, never the registry)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings


def open_settings(home: Path) -> QSettings:
    home.mkdir(parents=True, exist_ok=True)
    return QSettings(str(home / "raccordo-gui.ini"), QSettings.Format.IniFormat)
