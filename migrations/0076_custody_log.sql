-- Chain of custody: every capture, pack, export and status change, append-only and hash-chained.
-- `payload` is the exact canonical JSON that was hashed; row_hash = sha256(prev_hash || '\n' || payload).
CREATE TABLE IF NOT EXISTS custody_log (
  seq        bigint PRIMARY KEY,
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  action     text NOT NULL,
  lead_id    bigint,
  evidence_id bigint,
  -- Every lead an entry is about when it is about several (a weekly export).
  lead_ids   bigint[] NOT NULL DEFAULT '{}',
  payload    text NOT NULL,
  prev_hash  text NOT NULL,
  row_hash   text NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS custody_log_lead_idx ON custody_log (lead_id, seq);
CREATE INDEX IF NOT EXISTS custody_log_evidence_idx ON custody_log (evidence_id);
