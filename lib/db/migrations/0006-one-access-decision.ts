// Issues 12 and 13: who may download an exchange, and how often, belongs to the exchange, so every route (Inbox,
// share link, API) enforces the same decision; and one content format, read by one download path.
export const oneAccessDecision = `
-- Null: every member of the recipient organization. Otherwise only these people (a link may narrow, never widen).
ALTER TABLE exchanges ADD COLUMN recipient_user_ids uuid[];
ALTER TABLE exchanges ADD COLUMN max_downloads int CHECK (max_downloads IS NULL OR max_downloads > 0);
ALTER TABLE exchanges ADD COLUMN completed_downloads int NOT NULL DEFAULT 0 CHECK (completed_downloads >= 0);
ALTER TABLE exchanges ADD COLUMN downloads_in_flight int NOT NULL DEFAULT 0 CHECK (downloads_in_flight >= 0);
ALTER TABLE exchanges ADD CONSTRAINT exchanges_download_limit CHECK (max_downloads IS NULL OR completed_downloads + downloads_in_flight <= max_downloads);

-- Every download from every route: its reservation while streaming, then the receipt. link_id is set when it came
-- through a share link, whose own counters are kept beside the exchange's.
CREATE TABLE exchange_downloads (
  id uuid PRIMARY KEY,
  exchange_id uuid NOT NULL REFERENCES exchanges (id),
  link_id uuid REFERENCES share_links (id),
  user_id uuid,
  user_display_name text NOT NULL,
  client_ip text,
  state text NOT NULL CHECK (state IN ('in_flight', 'completed', 'failed', 'abandoned')),
  started_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX exchange_downloads_exchange ON exchange_downloads (exchange_id, started_at DESC);
CREATE INDEX exchange_downloads_link ON exchange_downloads (link_id, started_at DESC) WHERE link_id IS NOT NULL;
CREATE INDEX exchange_downloads_in_flight ON exchange_downloads (exchange_id, heartbeat_at) WHERE state = 'in_flight';
INSERT INTO exchange_downloads (id, exchange_id, link_id, user_id, user_display_name, client_ip, state, started_at, heartbeat_at, finished_at)
  SELECT d.id, l.exchange_id, d.link_id, d.user_id, d.user_display_name, d.client_ip, d.state, d.started_at, d.heartbeat_at, d.finished_at
    FROM share_link_downloads d JOIN share_links l ON l.id = d.link_id;
UPDATE exchanges e SET downloads_in_flight = (SELECT count(*) FROM exchange_downloads d WHERE d.exchange_id = e.id AND d.state = 'in_flight');
DROP TABLE share_link_downloads;

-- Exchanges stored as one Encryption SDK message (before every upload was parted) become one-part exchanges with no
-- manifest: their single part is that message, read through the same path as every other part.
ALTER TABLE exchanges ADD COLUMN content_format text NOT NULL DEFAULT 'parts' CHECK (content_format IN ('parts', 'single-message'));
INSERT INTO upload_parts (exchange_id, part_number, blob_key, plaintext_bytes, plaintext_sha256, ciphertext_bytes, ciphertext_sha256)
  SELECT id, 1, blob_key, size, sha256, coalesce(ciphertext_size, 0), coalesce(ciphertext_sha256, '')
    FROM exchanges WHERE status = 'available' AND part_count IS NULL;
UPDATE exchanges SET content_format = 'single-message', part_bytes = greatest(size, 1), part_count = 1 WHERE status = 'available' AND part_count IS NULL;
`;
