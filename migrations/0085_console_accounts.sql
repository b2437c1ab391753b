-- Analyst console accounts. Only the radar process (the migration owner) reads these tables: the
-- console's scoped roles get no privilege on them, so no page query can reach a password hash.
CREATE TABLE IF NOT EXISTS console_users (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name                  text NOT NULL,
  role                  text NOT NULL CHECK (role IN ('admin', 'national', 'provincial', 'viewer')),
  -- 2025 province codes; a provincial user sees exactly these, other roles see every province.
  provinces             integer[] NOT NULL DEFAULT '{}',
  password_hash         text NOT NULL,
  -- Set for one-time passwords (the demo's first admin, reset-password): the next login must change it.
  must_change_password  boolean NOT NULL DEFAULT false,
  disabled_at           timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT console_users_provincial_has_province CHECK (role <> 'provincial' OR cardinality(provinces) > 0)
);
CREATE UNIQUE INDEX IF NOT EXISTS console_users_name_key ON console_users (lower(name));

-- The cookie carries a random token; only its SHA-256 is stored, so a leaked table opens no session.
CREATE TABLE IF NOT EXISTS console_sessions (
  token_hash    text PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES console_users(id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS console_sessions_user_idx ON console_sessions (user_id);

-- Wrong passwords in a row per login name (known or not, so the limit reveals no account).
CREATE TABLE IF NOT EXISTS console_login_failures (
  login            text PRIMARY KEY,
  failures         integer NOT NULL DEFAULT 0,
  last_failure_at  timestamptz NOT NULL DEFAULT now()
);
