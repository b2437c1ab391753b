-- radar_reader: the role `radar sql` and `radar db serve` run as. SELECT on the analyst tables and
-- views, nothing else: no writes, no file or program access (it is not a member of
-- pg_read_server_files, pg_write_server_files, pg_execute_server_program or pg_signal_backend).
--
-- Roles are cluster-wide while grants are per database, and many databases on one server may run
-- this migration at the same moment: the role is created at most once (a concurrent creator's
-- duplicate is ignored), the grants below are per database. LOGIN so that `radar sql` on
-- PostgreSQL connects as this role itself (SET ROLE from a superuser session can be undone by the
-- query it runs). It has no password here: `radar migrate` sets one from RADAR_READER_PASSWORD.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'radar_reader') THEN
    CREATE ROLE radar_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL; -- another database's migration created it first
  WHEN insufficient_privilege THEN
    RAISE WARNING 'cannot create role radar_reader (the migrating user lacks CREATEROLE); radar sql will refuse to run until an administrator runs: CREATE ROLE radar_reader LOGIN; and radar migrate again';
END $$;

-- The analyst surface. To add a table or view: a later migration runs
--   GRANT SELECT ON <name> TO radar_reader;
-- (CREATE OR REPLACE VIEW keeps existing grants; DROP + CREATE loses them.)
-- schema_migrations and any future internal table stay out of reach.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'radar_reader') THEN
    -- The migrating user (not a superuser in a managed database) may SET ROLE to it.
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
      BEGIN
        EXECUTE format('GRANT radar_reader TO %I', current_user);
      EXCEPTION WHEN insufficient_privilege OR duplicate_object THEN NULL;
      END;
    END IF;
    REVOKE ALL ON SCHEMA public FROM radar_reader;
    GRANT USAGE ON SCHEMA public TO radar_reader;
    GRANT SELECT ON
      flagged_listings,
      marketplaces, shops, networks, listings, listing_observations,
      brands, brand_authorized_sellers, brand_reference_prices,
      scoring_runs, listing_scores, leads, lead_events, evidence, crawl_runs
    TO radar_reader;
  END IF;
END $$;
