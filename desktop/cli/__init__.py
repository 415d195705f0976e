"""The ``raccordo`` command line: a thin adapter over models.services (no Qt)."""
