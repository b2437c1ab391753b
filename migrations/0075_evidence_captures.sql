-- A capture is one browser load: keep the document's HTTP status, the URL after redirects and the
-- capture metadata (times, browser and version, crawler version, operator, machine) with the files.
ALTER TABLE evidence ADD COLUMN IF NOT EXISTS http_status integer;
ALTER TABLE evidence ADD COLUMN IF NOT EXISTS final_url text;
ALTER TABLE evidence ADD COLUMN IF NOT EXISTS metadata jsonb NOT NULL DEFAULT '{}';

-- Loads that captured nothing worth keeping (4xx/5xx, block or captcha, login wall, empty shell):
-- recorded with their reason so a lead can say "no valid evidence", never counted as evidence.
CREATE TABLE IF NOT EXISTS capture_failures (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  listing_id        bigint REFERENCES listings(id),
  shop_id           bigint REFERENCES shops(id),
  url               text NOT NULL,
  final_url         text,
  http_status       integer,
  reason            text NOT NULL,
  captured_at       timestamptz NOT NULL,
  captured_at_local text NOT NULL,
  metadata          jsonb NOT NULL DEFAULT '{}',
  -- Files kept for the record (the screenshot of the error page), relative to RADAR_DATA_DIR/evidence.
  files             jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS capture_failures_listing_idx ON capture_failures (listing_id, captured_at DESC);
CREATE INDEX IF NOT EXISTS capture_failures_shop_idx ON capture_failures (shop_id, captured_at DESC);
