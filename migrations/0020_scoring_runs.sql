-- Scoring bookkeeping: each `radar score` run, so the next incremental run knows where to start,
-- and the pre-network score of each listing, so the network boost can be recomputed set-based.
CREATE TABLE scoring_runs (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  scoring_version  text NOT NULL,
  mode             text NOT NULL CHECK (mode IN ('all', 'since', 'incremental')),
  since            timestamptz,
  started_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  listings_scored  integer NOT NULL DEFAULT 0,
  listings_flagged integer NOT NULL DEFAULT 0,
  leads_created    integer NOT NULL DEFAULT 0,
  leads_reflagged  integer NOT NULL DEFAULT 0
);
CREATE INDEX scoring_runs_version_idx ON scoring_runs (scoring_version, started_at DESC) WHERE finished_at IS NOT NULL;

ALTER TABLE listing_scores ADD COLUMN base_score smallint;
ALTER TABLE listing_scores ADD COLUMN network_boost smallint NOT NULL DEFAULT 0;
