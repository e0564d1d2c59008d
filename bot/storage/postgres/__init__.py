"""PostgreSQL adapters for several replicas (issue #15): the same ports as `bot/storage/`, one
module per job, the schema in versioned SQL files (`migrations/`)."""
