// Written in the SQL that PostgreSQL and PGlite (the embedded default) both run, so there is one schema.
export const initial = `
CREATE TABLE organizations (
  slug text PRIMARY KEY,
  display_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  org_slug text NOT NULL REFERENCES organizations (slug),
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('member', 'admin', 'auditor')),
  password_hash text NOT NULL,
  totp_secret_sealed bytea,
  totp_last_step bigint,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE auth_sessions (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  mfa_verified_at timestamptz
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE exchanges (
  id uuid PRIMARY KEY,
  sender_org text NOT NULL REFERENCES organizations (slug),
  sender_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  sender_display_name text NOT NULL,
  recipient_org text NOT NULL REFERENCES organizations (slug),
  status text NOT NULL CHECK (status IN ('uploading', 'receiving', 'available')),
  metadata_ciphertext bytea NOT NULL,
  declared_size bigint NOT NULL CHECK (declared_size >= 0),
  size bigint,
  sha256 text,
  blob_key text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  CHECK (status <> 'available' OR (size IS NOT NULL AND sha256 IS NOT NULL AND blob_key IS NOT NULL AND completed_at IS NOT NULL))
);
CREATE INDEX exchanges_inbox ON exchanges (recipient_org, completed_at DESC) WHERE status = 'available';
CREATE INDEX exchanges_sent ON exchanges (sender_org, created_at DESC);
CREATE INDEX exchanges_stale ON exchanges (created_at) WHERE status <> 'available';

-- No foreign keys on purpose: audit rows outlive the users and exchanges they describe, and are never cascaded away.
CREATE TABLE audit_events (
  seq bigint PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  action text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
  reason text,
  actor_user_id uuid,
  actor_display_name text,
  actor_org text,
  actor_role text,
  target_type text,
  target_id text,
  target_display_name text,
  party_orgs text[] NOT NULL DEFAULT '{}',
  client_ip text,
  user_agent text,
  aws_request_ids text[] NOT NULL DEFAULT '{}',
  role_session_arn text,
  details jsonb NOT NULL DEFAULT '{}',
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_events_time ON audit_events (occurred_at DESC, seq DESC);
CREATE INDEX audit_events_target ON audit_events (target_type, target_id);

CREATE TABLE audit_chain_head (
  id int PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));
`;
