"""Channel adapters other than Telegram (which lives in bot/telegram_adapter/)."""
