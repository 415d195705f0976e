"""The refusals both read paths give, worded once."""

from __future__ import annotations

from collections.abc import Iterable

from models.errors import NotFound, PermissionDenied


def unknown_user(username: str, known: Iterable[str]) -> NotFound:
    return NotFound(f"utente «{username}» sconosciuto; utenti: {', '.join(known) or '—'}")


def inactive_user(username: str) -> PermissionDenied:
    return PermissionDenied(f"utente «{username}» disattivato")


def unknown_type(code: str, active_codes: Iterable[str]) -> NotFound:
    return NotFound(f"tipo di pratica «{code}» sconosciuto; tipi: {', '.join(active_codes)}")


def unknown_office(code: str, codes: Iterable[str]) -> NotFound:
    return NotFound(f"ufficio «{code}» sconosciuto; uffici: {', '.join(codes)}")


def dossier_not_found(ref: str) -> NotFound:
    # An invisible restricted dossier answers exactly like a missing one.
    return NotFound(f"pratica «{ref}» non trovata")
