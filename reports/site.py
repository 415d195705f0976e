"""What the workstation settings change in the letters: the templates folder, letterhead texts.

``templates.dir`` replaces ``<home>/templates`` as the folder of overriding templates and
logos; ``letterhead.*`` replace the texts (and ``letterhead.logo`` the logo) of the
letterhead of the office named by ``site.office``, and of no other office.
"""

from __future__ import annotations

from pathlib import Path

from desktop.settings import LETTERHEAD_FIELDS, load

OVERRIDE_FOLDER = "templates"


def templates_folder(home: Path) -> Path:
    configured = load(home).get("templates.dir")
    return Path(configured).expanduser() if configured else home / OVERRIDE_FOLDER


def letterhead_overrides(office_code: str, home: Path | None) -> dict[str, str]:
    """The site's letterhead texts for ``office_code``: empty unless it is ``site.office``."""
    if home is None:
        return {}
    current = load(home)
    own_office = (current.get("site.office") or "").strip()
    if own_office.upper() != office_code.upper():
        return {}
    found = {name: current.get(f"letterhead.{name}") for name in LETTERHEAD_FIELDS}
    return {name: value for name, value in found.items() if value is not None}


def letterhead_logo(office_code: str, home: Path | None) -> bytes | None:
    """``letterhead.logo`` for the site's own office, when the file is there."""
    if home is None:
        return None
    current = load(home)
    path = current.get("letterhead.logo")
    if not path or (current.get("site.office") or "").strip().upper() != office_code.upper():
        return None
    logo = Path(path).expanduser()
    return logo.read_bytes() if logo.is_file() else None
