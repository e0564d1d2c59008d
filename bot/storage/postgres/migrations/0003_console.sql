-- The staff console on the shared store (issue #15): the same three tables as SQLite's
-- create_staff_console (bot/storage/database.py), so `waspada staff add` on one machine and a
-- log-in on a console beside any replica see one account, one lock and one audit log.
-- 0003, not 0002: the processed-update ids take 0002; migrate.py applies whatever is missing,
-- in number order, so either file may reach a database first.

-- A scrypt hash with its own parameters (they can grow per account), and the failed log-ins and
-- lock of each, so a lock holds on every console and survives a restart.
CREATE TABLE staff_accounts (
    name text PRIMARY KEY,
    password_hash text NOT NULL,
    salt text NOT NULL,
    scrypt_n integer NOT NULL,
    scrypt_r integer NOT NULL,
    scrypt_p integer NOT NULL,
    created_at timestamptz NOT NULL,
    failed_logins integer NOT NULL DEFAULT 0,
    locked_until timestamptz
);

-- Sessions by the SHA-256 of their cookie: a copy of the database holds no usable cookie.
CREATE TABLE staff_sessions (
    token_hash text PRIMARY KEY,
    name text NOT NULL,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX staff_sessions_name ON staff_sessions (name);
CREATE INDEX staff_sessions_expires_at ON staff_sessions (expires_at);

CREATE TABLE staff_audit (
    audit_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    detail text
);
CREATE INDEX staff_audit_at ON staff_audit (at);
