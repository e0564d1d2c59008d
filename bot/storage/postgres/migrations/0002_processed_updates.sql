-- Updates some replica has taken (bot/core/redelivery.py): Telegram redelivers an update after
-- a timeout, often to another replica, and the primary key lets exactly one of them claim it.
-- Pruned after a day by the retention sweep.

CREATE TABLE processed_updates (
    channel text NOT NULL,
    update_id bigint NOT NULL,
    claimed_at timestamptz NOT NULL,
    PRIMARY KEY (channel, update_id)
);
CREATE INDEX processed_updates_claimed_at ON processed_updates (claimed_at);
