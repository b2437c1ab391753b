-- The files a custody entry is about, by SHA-256: an exported CSV/XLSX, a takedown batch, a referral
-- letter, a capture's screenshot and WACZ. A file handed over can then be matched to its entry later
-- (`radar evidence check-file`). The column copies the hashed payload's `file_sha256`, and the audit
-- checks that it still does, so editing it breaks the chain like editing any other column.
ALTER TABLE custody_log ADD COLUMN IF NOT EXISTS file_sha256 text[] NOT NULL DEFAULT '{}';
CREATE INDEX IF NOT EXISTS custody_log_file_sha256_idx ON custody_log USING gin (file_sha256);
