"""Synthetic but realistic dossiers for demonstrations and load tests (``raccordo demo``).

Procedure types, workflows, term rules, offices and settings are read from the tables,
so the histories follow whatever an administrator configured. Rows are written in
batches from a compiled Core ``insert()`` (``COPY`` on PostgreSQL), with no ORM object per
dossier, and the derived columns are computed with the same pure clock the service layer
uses, so a recompute would store the same values. From ``PARALLEL_FROM`` dossiers on, a
second process builds the rows while this one writes.

The output depends only on the seed, the database's "today" and what the tables hold:
ids are time-ordered UUIDs (version 7 layout) built from the seeded generator, which also
keeps the B-tree inserts sequential and the generation fast.

The package, by job: ``population`` and ``names`` (who applies, and the words of the
histories), ``codes`` (identifiers), ``setup`` (what is read from the database),
``employers``, ``people``, ``walk`` (a dossier's history), ``plan`` (filing dates and
protocol numbers), ``rows`` and ``writer`` (the bulk writer and ``generate``).
"""

from desktop.demo.writer import generate

__all__ = ["generate"]
