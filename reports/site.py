"""What the workstation's settings change in the letters: the templates folder, letterhead texts.

The adapters build a ``PrintSetup`` from the settings (``desktop.settings.print_setup``);
the reports only read it, so they never look at configuration files themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

LETTERHEAD_FIELDS = ("administration", "office", "address", "pec", "signatory", "responsabile")


@dataclass(frozen=True)
class PrintSetup:
    # Folder of templates and logos that override Raccordo's own (``<home>/templates``).
    templates_dir: Path | None = None
    # The site's own office (``site.office``): the letterhead overrides apply to it alone,
    # so a Questura letter printed at the SUI keeps the Questura's letterhead.
    own_office: str | None = None
    letterhead: Mapping[str, str] = field(default_factory=dict)
    logo: Path | None = None

    def _is_own(self, office_code: str) -> bool:
        own = (self.own_office or "").strip().upper()
        return bool(own) and own == office_code.upper()

    def letterhead_overrides(self, office_code: str) -> dict[str, str]:
        return dict(self.letterhead) if self._is_own(office_code) else {}

    def letterhead_logo(self, office_code: str) -> bytes | None:
        if self.logo is None or not self._is_own(office_code):
            return None
        logo = self.logo.expanduser()
        return logo.read_bytes() if logo.is_file() else None
