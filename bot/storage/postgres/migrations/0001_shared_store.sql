-- Waspada's shared store for several replicas (issue #15): the same tables as the SQLite file
-- (bot/storage/database.py), with PostgreSQL's own types: timestamptz for times, boolean for
-- flags, jsonb for structured values, bytea for screenshots.
-- The claimed_until columns (outbox, notices, alert_deliveries) have no SQLite twin: the lease
-- a replica takes with SELECT ... FOR UPDATE SKIP LOCKED before it sends.

CREATE TABLE sessions (
    user_key text PRIMARY KEY,
    chosen_language text,
    last_language text,
    flow text,
    flow_state jsonb,
    context jsonb,
    answered jsonb,
    updated_at timestamptz NOT NULL
);
CREATE INDEX sessions_updated_at ON sessions (updated_at);

-- Message ids (never texts) so a quick exit can delete the conversation after a restart.
CREATE TABLE chat_messages (
    chat_id bigint NOT NULL,
    message_id bigint NOT NULL,
    sent_at timestamptz NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX chat_messages_sent_at ON chat_messages (sent_at);

CREATE TABLE reports (
    report_id text PRIMARY KEY,
    reference text NOT NULL UNIQUE,
    channel text NOT NULL,
    user_key text,
    reporter_ref text,
    fingerprint text,
    language text,
    category text NOT NULL,
    platform text,
    content_urls jsonb NOT NULL DEFAULT '[]',
    description text,
    incident_date date,
    involves_child boolean NOT NULL DEFAULT false,
    contact_consent boolean NOT NULL DEFAULT false,
    name text,
    phone text,
    email text,
    submitted_at timestamptz,
    created_at timestamptz NOT NULL,
    delivery text NOT NULL,
    complaint_id text,
    official_status text,
    status_updated_at text,
    delivered_at timestamptz,
    closed_at timestamptz,
    withdrawn_at timestamptz,
    erased_at timestamptz
);
CREATE INDEX reports_user_created ON reports (user_key, created_at);
CREATE INDEX reports_closed_at ON reports (closed_at);

CREATE TABLE outbox (
    report_id text PRIMARY KEY REFERENCES reports (report_id),
    body jsonb NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_detail text,
    alerted boolean NOT NULL DEFAULT false,
    claimed_until timestamptz
);
CREATE INDEX outbox_next_attempt_at ON outbox (next_attempt_at);

CREATE TABLE evidence (
    evidence_id text PRIMARY KEY,
    user_key text,
    report_id text,
    content_type text NOT NULL,
    size integer NOT NULL,
    data bytea,
    state text NOT NULL,
    official_id text,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    last_detail text,
    created_at timestamptz NOT NULL
);
CREATE INDEX evidence_report_id ON evidence (report_id);
CREATE INDEX evidence_user_key ON evidence (user_key);
CREATE INDEX evidence_state_next ON evidence (state, next_attempt_at);

CREATE TABLE notices (
    notice_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_key text NOT NULL,
    reference text NOT NULL,
    complaint_id text,
    status text NOT NULL,
    language text NOT NULL,
    created_at timestamptz NOT NULL,
    claimed_until timestamptz
);
CREATE INDEX notices_user_key ON notices (user_key);

CREATE TABLE alert_subscribers (
    user_key text PRIMARY KEY,
    language text NOT NULL,
    since timestamptz NOT NULL
);

CREATE TABLE alert_broadcasts (
    name text PRIMARY KEY,
    texts jsonb NOT NULL,
    topic text,
    report boolean NOT NULL DEFAULT false,
    send_after timestamptz NOT NULL,
    queued_at timestamptz NOT NULL
);

CREATE TABLE alert_deliveries (
    delivery_id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    alert text NOT NULL,
    user_key text NOT NULL,
    language text NOT NULL,
    state text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    due_at timestamptz NOT NULL,
    settled_at timestamptz,
    claimed_until timestamptz,
    PRIMARY KEY (alert, user_key)
);
CREATE INDEX alert_deliveries_state_due ON alert_deliveries (state, due_at);
CREATE INDEX alert_deliveries_user_key ON alert_deliveries (user_key);

-- One row per broadcast message any replica is about to send: the shared count behind the
-- overall cap (bot/storage/postgres/alerts.py). No person in it; rows older than a minute go.
CREATE TABLE alert_sends (
    send_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sent_at timestamptz NOT NULL
);
CREATE INDEX alert_sends_sent_at ON alert_sends (sent_at);

CREATE TABLE report_items (
    report_id text NOT NULL,
    reporter text NOT NULL,
    kind text NOT NULL,
    value text NOT NULL,
    filed_at timestamptz NOT NULL,
    PRIMARY KEY (report_id, kind, value)
);
CREATE INDEX report_items_lookup ON report_items (kind, value, filed_at);

CREATE TABLE handoff_cases (
    case_id text PRIMARY KEY,
    user_key text NOT NULL,
    language text NOT NULL,
    topics jsonb NOT NULL DEFAULT '[]',
    risks jsonb NOT NULL DEFAULT '[]',
    requested_at timestamptz NOT NULL,
    thread text,
    flagged boolean NOT NULL DEFAULT false,
    answered boolean NOT NULL DEFAULT false,
    closed_at timestamptz,
    feedback_due boolean NOT NULL DEFAULT false,
    waiting_since timestamptz,
    nudged boolean NOT NULL DEFAULT false
);
CREATE INDEX handoff_cases_user ON handoff_cases (user_key, closed_at);
CREATE INDEX handoff_cases_thread ON handoff_cases (thread);

CREATE TABLE handoff_feedback (
    answer text PRIMARY KEY,
    count integer NOT NULL
);

CREATE TABLE staff_copies (
    thread text NOT NULL,
    message_id bigint NOT NULL,
    sent_at timestamptz NOT NULL,
    PRIMARY KEY (thread, message_id)
);

CREATE TABLE usage_questions (
    day date NOT NULL,
    language text NOT NULL,
    outcome text NOT NULL,
    topic text NOT NULL,
    count integer NOT NULL,
    PRIMARY KEY (day, language, outcome, topic)
);

CREATE TABLE usage_risks (
    day date NOT NULL,
    language text NOT NULL,
    risk text NOT NULL,
    count integer NOT NULL,
    PRIMARY KEY (day, language, risk)
);

CREATE TABLE usage_ratings (
    day date NOT NULL,
    topic text NOT NULL,
    language text NOT NULL,
    helpful integer NOT NULL DEFAULT 0,
    unhelpful integer NOT NULL DEFAULT 0,
    PRIMARY KEY (day, topic, language)
);

CREATE TABLE review_entries (
    entry_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner text,
    language text NOT NULL,
    reason text NOT NULL,
    text text NOT NULL,
    guesses jsonb NOT NULL,
    risks jsonb NOT NULL,
    day date NOT NULL,
    kept_at timestamptz NOT NULL,
    label text,
    labelled_by text,
    labelled_at timestamptz
);
CREATE INDEX review_entries_owner ON review_entries (owner);
CREATE INDEX review_entries_kept_at ON review_entries (kept_at);
