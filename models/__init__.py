"""Raccordo's domain model, persistence and service layer (no Qt here)."""
