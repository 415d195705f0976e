"""The shared PostgreSQL server: roles, grants, row-level policies and triggers installed
by ``raccordo server init``, its users, and the checks a workstation makes against it."""

from sync.server.compat import check_compatibility, server_now

__all__ = ["check_compatibility", "server_now"]
