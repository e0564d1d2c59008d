"""Versioned SQL files, applied in the order of their numbers by
`bot/storage/postgres/migrate.py`."""
