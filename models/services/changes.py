"""What a use case changed, so adapters refresh only the affected views (cf. Anki OpChanges)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum


class Changed(StrEnum):
    DOSSIER = "dossier"
    HISTORY = "history"
    PARERE = "parere"
    FLAGS = "flags"
    STAFF = "staff"
    RULES = "rules"
    OFFICES = "offices"
    DOCUMENTS = "documents"  # attachments of a dossier (inbox folder)
    IMPORTS = "imports"  # the inbox folder's import register
    MEETINGS = "meetings"  # the tavolo di coordinamento: meetings, agenda, outcomes


@dataclass(frozen=True)
class Changes:
    kinds: frozenset[Changed] = field(default_factory=frozenset)
    dossier_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)
    # Done, but the user should know (e.g. a request that suspends nothing): Italian text.
    warnings: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, *kinds: Changed, dossiers: tuple[uuid.UUID, ...] = (), warnings: tuple[str, ...] = ()
    ) -> Changes:
        return cls(frozenset(kinds), frozenset(dossiers), warnings)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.kinds | other.kinds,
            self.dossier_ids | other.dossier_ids,
            self.warnings + other.warnings,
        )

    def touches(self, kind: Changed) -> bool:
        return kind in self.kinds
