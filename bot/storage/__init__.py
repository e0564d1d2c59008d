"""SQLite persistence (the only package that imports sqlite_utils)."""
