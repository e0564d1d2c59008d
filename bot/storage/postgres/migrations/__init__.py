"""Versioned SQL files, applied in name order by `bot/storage/postgres/migrate.py`."""
