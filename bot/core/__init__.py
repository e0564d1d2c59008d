"""The channel-agnostic dialogue core: it knows no Telegram, Rasa, SQLite or Babel, only ports."""
