"""Shared PostgreSQL database, workstation replicas and inbox import (issues 4 and 7)."""
