-- Crawl ingest writes listings, shops and observations in batches of hundreds to thousands of rows.
-- Row-level foreign keys check every row on its own: one SPI lookup plus one row lock (a WAL record)
-- per row and per reference, and every writer locks the same few marketplaces rows and the run's
-- crawl_runs row. On 100k listings that was ~45% of the server's CPU for the ingest.
--
-- The same references are checked here once per statement instead: AFTER ... FOR EACH STATEMENT
-- triggers anti-join the statement's new rows (transition tables) against the referenced tables and
-- raise foreign_key_violation (SQLSTATE 23503) if any is missing, so a bad write still fails and
-- rolls back. Deleting a referenced row that is still in use is refused the same way.
--
-- What row-level keys gave beyond this: a row lock that stops a concurrent DELETE of a shop, listing,
-- run or marketplace from committing while a new row points at it. Nothing in radar deletes those
-- rows (crawl history is append-only), so that race has no writer; TRUNCATE of one of these tables
-- alone is no longer refused (truncate the referencing tables with it, as the tests do).

ALTER TABLE listings DROP CONSTRAINT IF EXISTS listings_marketplace_fkey;
ALTER TABLE listings DROP CONSTRAINT IF EXISTS listings_shop_id_fkey;
ALTER TABLE shops DROP CONSTRAINT IF EXISTS shops_marketplace_fkey;
ALTER TABLE listing_observations DROP CONSTRAINT IF EXISTS listing_observations_listing_id_fkey;
ALTER TABLE listing_observations DROP CONSTRAINT IF EXISTS listing_observations_crawl_run_id_fkey;

CREATE OR REPLACE FUNCTION radar_check_listing_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT n.marketplace INTO missing FROM radar_new_rows n
    WHERE NOT EXISTS (SELECT 1 FROM marketplaces m WHERE m.id = n.marketplace) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'listings.marketplace "%" is not in marketplaces', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT n.shop_id::text INTO missing FROM radar_new_rows n
    WHERE n.shop_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM shops s WHERE s.id = n.shop_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'listings.shop_id % is not in shops', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION radar_check_shop_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT n.marketplace INTO missing FROM radar_new_rows n
    WHERE NOT EXISTS (SELECT 1 FROM marketplaces m WHERE m.id = n.marketplace) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'shops.marketplace "%" is not in marketplaces', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION radar_check_observation_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT n.listing_id::text INTO missing FROM radar_new_rows n
    WHERE NOT EXISTS (SELECT 1 FROM listings l WHERE l.id = n.listing_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'listing_observations.listing_id % is not in listings', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT n.crawl_run_id::text INTO missing FROM radar_new_rows n
    WHERE NOT EXISTS (SELECT 1 FROM crawl_runs r WHERE r.id = n.crawl_run_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'listing_observations.crawl_run_id % is not in crawl_runs', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

-- A trigger with transition tables takes one event, so INSERT and UPDATE each get their own.
CREATE TRIGGER listings_refs_insert AFTER INSERT ON listings
  REFERENCING NEW TABLE AS radar_new_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_listing_refs();
CREATE TRIGGER listings_refs_update AFTER UPDATE ON listings
  REFERENCING NEW TABLE AS radar_new_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_listing_refs();
CREATE TRIGGER shops_refs_insert AFTER INSERT ON shops
  REFERENCING NEW TABLE AS radar_new_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_shop_refs();
CREATE TRIGGER shops_refs_update AFTER UPDATE ON shops
  REFERENCING NEW TABLE AS radar_new_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_shop_refs();
CREATE TRIGGER listing_observations_refs_insert AFTER INSERT ON listing_observations
  REFERENCING NEW TABLE AS radar_new_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_observation_refs();
CREATE TRIGGER listing_observations_refs_update AFTER UPDATE ON listing_observations
  REFERENCING NEW TABLE AS radar_new_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_observation_refs();

-- The delete side of the same references: a referenced row still in use cannot go. One function
-- per table, since a PL/pgSQL statement is planned against one transition table's row type.
CREATE OR REPLACE FUNCTION radar_check_marketplace_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM radar_old_rows o JOIN listings l ON l.marketplace = o.id)
     OR EXISTS (SELECT 1 FROM radar_old_rows o JOIN shops s ON s.marketplace = o.id) THEN
    RAISE EXCEPTION 'marketplaces rows are still referenced from shops or listings' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION radar_check_shop_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM radar_old_rows o JOIN listings l ON l.shop_id = o.id) THEN
    RAISE EXCEPTION 'shops rows are still referenced from listings' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION radar_check_listing_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM radar_old_rows o JOIN listing_observations b ON b.listing_id = o.id) THEN
    RAISE EXCEPTION 'listings rows are still referenced from listing_observations' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION radar_check_crawl_run_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM radar_old_rows o JOIN listing_observations b ON b.crawl_run_id = o.id) THEN
    RAISE EXCEPTION 'crawl_runs rows are still referenced from listing_observations' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER marketplaces_referenced_delete AFTER DELETE ON marketplaces
  REFERENCING OLD TABLE AS radar_old_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_marketplace_delete();
CREATE TRIGGER shops_referenced_delete AFTER DELETE ON shops
  REFERENCING OLD TABLE AS radar_old_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_shop_delete();
CREATE TRIGGER listings_referenced_delete AFTER DELETE ON listings
  REFERENCING OLD TABLE AS radar_old_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_listing_delete();
CREATE TRIGGER crawl_runs_referenced_delete AFTER DELETE ON crawl_runs
  REFERENCING OLD TABLE AS radar_old_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_crawl_run_delete();
