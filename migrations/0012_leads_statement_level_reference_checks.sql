-- `radar score --all` creates hundreds of thousands of leads, each with a `created` event, in batches
-- of 20,000. Row-level foreign keys check every row on its own: an SPI lookup plus a row lock (a WAL
-- record, a dirtied page of listings/shops/networks/leads) per row and per reference — about 30% of the
-- server time of a lead batch. As migration 0050 did for the ingest tables, the same references are
-- checked once per statement: AFTER ... FOR EACH STATEMENT triggers anti-join the statement's new rows
-- against the referenced tables and raise foreign_key_violation (SQLSTATE 23503), so a bad write still
-- fails and rolls back; deleting a referenced row that is still in use is refused the same way.
-- What row-level keys gave beyond this: a row lock that stops a concurrent DELETE of the referenced row
-- from committing meanwhile. Nothing in radar deletes listings, shops, networks or leads.

ALTER TABLE leads DROP CONSTRAINT IF EXISTS leads_listing_id_fkey;
ALTER TABLE leads DROP CONSTRAINT IF EXISTS leads_shop_id_fkey;
ALTER TABLE leads DROP CONSTRAINT IF EXISTS leads_network_id_fkey;
ALTER TABLE lead_events DROP CONSTRAINT IF EXISTS lead_events_lead_id_fkey;

CREATE OR REPLACE FUNCTION radar_check_lead_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT n.listing_id::text INTO missing FROM radar_new_rows n
    WHERE n.listing_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM listings l WHERE l.id = n.listing_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'leads.listing_id % is not in listings', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT n.shop_id::text INTO missing FROM radar_new_rows n
    WHERE n.shop_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM shops s WHERE s.id = n.shop_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'leads.shop_id % is not in shops', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT n.network_id::text INTO missing FROM radar_new_rows n
    WHERE n.network_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM networks w WHERE w.id = n.network_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'leads.network_id % is not in networks', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION radar_check_lead_event_refs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing text;
BEGIN
  SELECT n.lead_id::text INTO missing FROM radar_new_rows n
    WHERE NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = n.lead_id) LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'lead_events.lead_id % is not in leads', missing USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

-- A trigger with transition tables takes one event and no column list. Inserts are checked per
-- statement; updates per row, and only by statements that name a referencing column (no radar
-- statement does: a re-flag or a rescore never moves a lead to another subject), so a re-flag of every
-- lead pays nothing for these checks.
CREATE TRIGGER leads_refs_insert AFTER INSERT ON leads
  REFERENCING NEW TABLE AS radar_new_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_lead_refs();
CREATE TRIGGER lead_events_refs_insert AFTER INSERT ON lead_events
  REFERENCING NEW TABLE AS radar_new_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_lead_event_refs();

CREATE OR REPLACE FUNCTION radar_check_lead_ref_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.listing_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM listings l WHERE l.id = NEW.listing_id) THEN
    RAISE EXCEPTION 'leads.listing_id % is not in listings', NEW.listing_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF NEW.shop_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM shops s WHERE s.id = NEW.shop_id) THEN
    RAISE EXCEPTION 'leads.shop_id % is not in shops', NEW.shop_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF NEW.network_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM networks w WHERE w.id = NEW.network_id) THEN
    RAISE EXCEPTION 'leads.network_id % is not in networks', NEW.network_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION radar_check_lead_event_ref_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = NEW.lead_id) THEN
    RAISE EXCEPTION 'lead_events.lead_id % is not in leads', NEW.lead_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER leads_refs_update AFTER UPDATE OF listing_id, shop_id, network_id ON leads
  FOR EACH ROW EXECUTE FUNCTION radar_check_lead_ref_row();
CREATE TRIGGER lead_events_refs_update AFTER UPDATE OF lead_id ON lead_events
  FOR EACH ROW EXECUTE FUNCTION radar_check_lead_event_ref_row();

-- The delete side: a listing, shop, network or lead still referenced by a lead (or an event) cannot go.
CREATE OR REPLACE FUNCTION radar_check_listing_lead_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM radar_old_rows o JOIN leads l ON l.listing_id = o.id) THEN
    RAISE EXCEPTION 'listings rows are still referenced from leads' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION radar_check_shop_lead_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM radar_old_rows o JOIN leads l ON l.shop_id = o.id) THEN
    RAISE EXCEPTION 'shops rows are still referenced from leads' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION radar_check_network_lead_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM radar_old_rows o JOIN leads l ON l.network_id = o.id) THEN
    RAISE EXCEPTION 'networks rows are still referenced from leads' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION radar_check_lead_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM radar_old_rows o JOIN lead_events e ON e.lead_id = o.id) THEN
    RAISE EXCEPTION 'leads rows are still referenced from lead_events' USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER listings_lead_referenced_delete AFTER DELETE ON listings
  REFERENCING OLD TABLE AS radar_old_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_listing_lead_delete();
CREATE TRIGGER shops_lead_referenced_delete AFTER DELETE ON shops
  REFERENCING OLD TABLE AS radar_old_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_shop_lead_delete();
CREATE TRIGGER networks_lead_referenced_delete AFTER DELETE ON networks
  REFERENCING OLD TABLE AS radar_old_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_network_lead_delete();
CREATE TRIGGER leads_referenced_delete AFTER DELETE ON leads
  REFERENCING OLD TABLE AS radar_old_rows FOR EACH STATEMENT EXECUTE FUNCTION radar_check_lead_delete();
