"""Raccordo workstation: entry points, command line, configuration, wiring."""

__version__ = "0.1.0"
