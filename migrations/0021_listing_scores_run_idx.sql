-- `radar score` pages through the flagged listings of its own run to upsert leads; without this
-- partial index every page would scan all of listing_scores.
CREATE INDEX listing_scores_run_flagged_idx ON listing_scores (scored_at, listing_id) WHERE flagged;
