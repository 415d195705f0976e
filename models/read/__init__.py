"""The light read path: dossiers read through the database driver alone.

A command that only reads (``dossier list``, ``dossier show``, ``deadlines``) starts in
a fresh process each time; importing SQLAlchemy's ORM and the mapped classes costs more
than the query itself. Here the same SQL is written out once, rows become frozen
dataclasses, and the visibility rule and the clock are the shared ones
(``models.access``, ``models.clock``), so the answers are those of the ORM path.
"""
