// Issue 5, the audit dashboard. Plain SQL that PostgreSQL and PGlite both run.
export const audit = `
-- Keyset pages walk (occurred_at, seq) newest first; each filter the dashboard offers has an index that keeps that
-- order, so a filtered page is an index range scan that stops after one page however many events there are.
CREATE INDEX audit_events_actor_time ON audit_events (actor_user_id, occurred_at DESC, seq DESC);
CREATE INDEX audit_events_org_time ON audit_events (actor_org, occurred_at DESC, seq DESC);
CREATE INDEX audit_events_action_time ON audit_events (action, occurred_at DESC, seq DESC);
CREATE INDEX audit_events_outcome_time ON audit_events (outcome, occurred_at DESC, seq DESC) WHERE outcome <> 'success';
CREATE INDEX audit_events_target_time ON audit_events (target_id, occurred_at DESC, seq DESC);
-- Link events name their link as the target and their exchange in details; the exchange filter and timeline need both.
CREATE INDEX audit_events_link_exchange ON audit_events ((details->>'exchangeId')) WHERE target_type = 'link';
CREATE INDEX audit_events_party_orgs ON audit_events USING gin (party_orgs);
-- The KMS cross-check asks "did any app event make this request?" for many request ids at once.
CREATE INDEX audit_events_aws_request_ids ON audit_events USING gin (aws_request_ids);

-- Signed checkpoints: an HMAC over (seq, hash) with a key only the server holds, written after the chain up to seq
-- verified. Someone who can write the database but lacks the key cannot rebuild a consistent chain after an edit.
CREATE TABLE audit_checkpoints (
  seq bigint PRIMARY KEY,
  hash text NOT NULL,
  signed_at timestamptz NOT NULL,
  mac text NOT NULL
);
`;
