-- The statement-level reference checks of 0050 probe the referenced table once per new row: a
-- 1,000-listing batch made 1,000 lookups in marketplaces, 1,000 in shops, and its observations 1,000
-- in crawl_runs, although a batch holds one marketplace, one run and a few dozen shops. Here each
-- check first reduces the new rows to their distinct values (one hash aggregate), then probes once
-- per value. Same rules, same errors (SQLSTATE 23503); observations still check every listing_id,
-- which is distinct per row anyway.

CREATE OR REPLACE FUNCTION radar_check_listing_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT d.marketplace INTO missing FROM (SELECT DISTINCT n.marketplace FROM radar_new_rows n) d
    WHERE NOT EXISTS (SELECT 1 FROM marketplaces m WHERE m.id = d.marketplace) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'listings.marketplace "%" is not in marketplaces', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT d.shop_id::text INTO missing FROM (SELECT DISTINCT n.shop_id FROM radar_new_rows n WHERE n.shop_id IS NOT NULL) d
    WHERE NOT EXISTS (SELECT 1 FROM shops s WHERE s.id = d.shop_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'listings.shop_id % is not in shops', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION radar_check_shop_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT d.marketplace INTO missing FROM (SELECT DISTINCT n.marketplace FROM radar_new_rows n) d
    WHERE NOT EXISTS (SELECT 1 FROM marketplaces m WHERE m.id = d.marketplace) LIMIT 1;
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
  SELECT d.crawl_run_id::text INTO missing FROM (SELECT DISTINCT n.crawl_run_id FROM radar_new_rows n) d
    WHERE NOT EXISTS (SELECT 1 FROM crawl_runs r WHERE r.id = d.crawl_run_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'listing_observations.crawl_run_id % is not in crawl_runs', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;
