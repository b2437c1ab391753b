-- `radar score --all` re-scores every listing on every run, and most results do not change. A hash of
-- everything the row stores (score, base score, boost, flag, reference price, content hash, reasons
-- JSON), written by the scorer, is read back with the listings in the same scan, so a re-run compares
-- in memory and sends only the rows whose result changed. NULL means "unknown": the row is rewritten.
ALTER TABLE listing_scores ADD COLUMN IF NOT EXISTS result_hash text;
