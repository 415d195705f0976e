"""Errors the service layer raises; every message is Italian and names what is wrong."""

from __future__ import annotations


class DomainError(Exception):
    """An operation refused for a reason the user can act on."""


class NotFound(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


class InvalidTransition(DomainError):
    pass


class Conflict(DomainError):
    """The record changed since it was read (optimistic concurrency)."""


class ValidationError(DomainError):
    """One or more fields are invalid; ``errors`` maps field name to message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in self.errors.items()))
