// Issue 4: share links, TOTP enrolment and recovery codes, rate limits. Plain SQL that PostgreSQL and PGlite both run.
export const linksAndMfa = `
CREATE TABLE share_links (
  id uuid PRIMARY KEY,
  exchange_id uuid NOT NULL REFERENCES exchanges (id),
  -- SHA-256 of the 32-byte token; the token itself is never stored.
  token_hash bytea NOT NULL UNIQUE,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  max_downloads int CHECK (max_downloads IS NULL OR max_downloads > 0),
  -- Counts only downloads that finished; in_flight holds the slots reserved by downloads still streaming.
  completed_downloads int NOT NULL DEFAULT 0 CHECK (completed_downloads >= 0),
  in_flight int NOT NULL DEFAULT 0 CHECK (in_flight >= 0),
  whole_org boolean NOT NULL,
  -- The optional note, kms:Encrypt-ed under the exchange's metadata context; never stored in the clear.
  note_ciphertext bytea,
  revoked_at timestamptz,
  CHECK (max_downloads IS NULL OR completed_downloads + in_flight <= max_downloads)
);
CREATE INDEX share_links_exchange ON share_links (exchange_id, created_at DESC);

CREATE TABLE share_link_recipients (
  link_id uuid NOT NULL REFERENCES share_links (id),
  user_id uuid NOT NULL REFERENCES users (id),
  PRIMARY KEY (link_id, user_id)
);

-- One row per download attempt through a link: its reservation while streaming, then the receipt.
CREATE TABLE share_link_downloads (
  id uuid PRIMARY KEY,
  link_id uuid NOT NULL REFERENCES share_links (id),
  user_id uuid,
  user_display_name text NOT NULL,
  client_ip text,
  state text NOT NULL CHECK (state IN ('in_flight', 'completed', 'failed', 'abandoned')),
  started_at timestamptz NOT NULL DEFAULT now(),
  -- Moved forward while bytes flow; a reservation whose heartbeat stops (server killed) is released.
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX share_link_downloads_link ON share_link_downloads (link_id, started_at DESC);
CREATE INDEX share_link_downloads_in_flight ON share_link_downloads (link_id, heartbeat_at) WHERE state = 'in_flight';

-- Fixed-window counters shared by every instance: one row per bucket and window.
CREATE TABLE rate_limits (
  bucket text NOT NULL,
  window_start timestamptz NOT NULL,
  hits int NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);

-- An enrolment waiting for its first code; it replaces the active secret only once confirmed.
ALTER TABLE users ADD COLUMN totp_pending_sealed bytea;
ALTER TABLE users ADD COLUMN inbox_seen_at timestamptz;

CREATE TABLE recovery_codes (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- SHA-256 of a 50-bit random code: enough entropy that a fast hash is not a weakness.
  code_hash bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  used_at timestamptz,
  PRIMARY KEY (user_id, code_hash)
);
`;
