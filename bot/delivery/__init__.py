"""Getting confirmed reports to the complaint system exactly once, and following their official
status: the dispatcher, over the outbox and gateway ports in `bot/core/`."""
