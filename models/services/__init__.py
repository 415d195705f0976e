"""Use cases: each is one unit of work and says what it changed."""
