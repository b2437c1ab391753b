-- `radar score --all` writes up to a million listing_scores rows per run. The row-level foreign key to
-- listings checked each row on its own: an SPI lookup plus a FOR KEY SHARE row lock, which writes a WAL
-- record and dirties the listing's page — ~45% of the server time of a score batch (EXPLAIN ANALYZE,
-- 20,000 rows). As migration 0050 did for the ingest tables, the reference is checked once per statement
-- (foreign_key_violation, SQLSTATE 23503, rolls the write back), and deleting a listing that still has
-- scores is refused the same way. Nothing in radar deletes listings.

ALTER TABLE listing_scores DROP CONSTRAINT IF EXISTS listing_scores_listing_id_fkey;

CREATE OR REPLACE FUNCTION radar_check_listing_score_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT n.listing_id::text INTO missing FROM radar_new_rows n
    WHERE NOT EXISTS (SELECT 1 FROM listings l WHERE l.id = n.listing_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'listing_scores.listing_id % is not in listings', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER listing_scores_refs_insert AFTER INSERT ON listing_scores
  REFERENCING NEW TABLE AS radar_new_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_listing_score_refs();
-- Updates per row, and only by statements that name listing_id (a rescore never does): a transition
-- table cannot have a column list, and capturing every rewritten row to check an unchanged key would
-- cost what the row-level key did.
CREATE OR REPLACE FUNCTION radar_check_listing_score_ref_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM listings l WHERE l.id = NEW.listing_id) THEN
    RAISE EXCEPTION 'listing_scores.listing_id % is not in listings', NEW.listing_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER listing_scores_refs_update AFTER UPDATE OF listing_id ON listing_scores
  FOR EACH ROW EXECUTE FUNCTION radar_check_listing_score_ref_row();

CREATE OR REPLACE FUNCTION radar_check_listing_score_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM radar_old_rows o JOIN listing_scores s ON s.listing_id = o.id) THEN
    RAISE EXCEPTION 'listings rows are still referenced from listing_scores' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER listings_score_referenced_delete AFTER DELETE ON listings
  REFERENCING OLD TABLE AS radar_old_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_listing_score_delete();
