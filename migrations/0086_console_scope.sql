-- Province scope enforced by PostgreSQL. Each console request runs in a transaction that does
-- SET LOCAL ROLE radar_console (or radar_console_read for viewers) and sets radar.scope ('all' or
-- 'provinces') and radar.provinces ('1,79'). Neither role has BYPASSRLS, so a page bug cannot show a
-- lead of another province. Scoring, exports and the CLI keep running as the table owner, whom these
-- policies do not touch (no FORCE ROW LEVEL SECURITY).

-- Roles are cluster-wide and many databases (tests, tenants) migrate at once: create each only when
-- missing, and treat "someone else just created it" as success.
DO $$
DECLARE
  wanted text;
BEGIN
  FOREACH wanted IN ARRAY ARRAY['radar_console_read', 'radar_console'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = wanted) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT', wanted);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
    -- The migrating user must be able to SET ROLE to it; a superuser already can.
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, wanted, 'MEMBER') THEN
      BEGIN
        EXECUTE format('GRANT %I TO %I', wanted, current_user);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
  END LOOP;
END $$;

GRANT USAGE ON SCHEMA public TO radar_console_read, radar_console;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO radar_console_read, radar_console;
-- Tables added by later migrations are readable too (scope still comes from their own policies).
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO radar_console_read, radar_console;
-- Accounts stay with the owner.
REVOKE ALL ON console_users, console_sessions, console_login_failures FROM radar_console_read, radar_console;
REVOKE ALL ON schema_migrations FROM radar_console_read, radar_console;
-- Analysts change only the workflow columns and append history.
GRANT UPDATE (status, assignee, dismissed_score, updated_at) ON leads TO radar_console;
GRANT INSERT ON lead_events TO radar_console;

ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE lead_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE evidence ENABLE ROW LEVEL SECURITY;

-- The scope test, inlined in each policy so the planner sees a plain comparison on province_code.
DROP POLICY IF EXISTS console_scope_select ON leads;
CREATE POLICY console_scope_select ON leads FOR SELECT TO radar_console_read, radar_console
  USING (current_setting('radar.scope', true) = 'all'
         OR province_code = ANY (string_to_array(NULLIF(current_setting('radar.provinces', true), ''), ',')::integer[]));
DROP POLICY IF EXISTS console_scope_update ON leads;
CREATE POLICY console_scope_update ON leads FOR UPDATE TO radar_console
  USING (current_setting('radar.scope', true) = 'all'
         OR province_code = ANY (string_to_array(NULLIF(current_setting('radar.provinces', true), ''), ',')::integer[]))
  WITH CHECK (current_setting('radar.scope', true) = 'all'
         OR province_code = ANY (string_to_array(NULLIF(current_setting('radar.provinces', true), ''), ',')::integer[]));

-- History and evidence follow the lead they belong to (the subqueries on leads are themselves scoped).
DROP POLICY IF EXISTS console_scope_select ON lead_events;
CREATE POLICY console_scope_select ON lead_events FOR SELECT TO radar_console_read, radar_console
  USING (EXISTS (SELECT 1 FROM leads ld WHERE ld.id = lead_events.lead_id));
DROP POLICY IF EXISTS console_scope_insert ON lead_events;
CREATE POLICY console_scope_insert ON lead_events FOR INSERT TO radar_console
  WITH CHECK (EXISTS (SELECT 1 FROM leads ld WHERE ld.id = lead_events.lead_id));

DROP POLICY IF EXISTS console_scope_select ON evidence;
CREATE POLICY console_scope_select ON evidence FOR SELECT TO radar_console_read, radar_console
  USING (current_setting('radar.scope', true) = 'all'
         OR EXISTS (SELECT 1 FROM leads ld WHERE ld.kind = 'listing' AND ld.listing_id = evidence.listing_id)
         OR EXISTS (SELECT 1 FROM leads ld WHERE ld.kind = 'shop' AND ld.shop_id = evidence.shop_id)
         OR EXISTS (SELECT 1 FROM leads ld JOIN listings l ON l.shop_id = ld.shop_id
                     WHERE ld.kind = 'shop' AND l.id = evidence.listing_id));

-- The view reads its tables as the querying role, so the policies above apply through it.
ALTER VIEW flagged_listings SET (security_invoker = true);

-- The queue's default order within a province: best first, keyset on (score, id).
CREATE INDEX IF NOT EXISTS leads_province_score_idx ON leads (province_code, score DESC, id DESC);
CREATE INDEX IF NOT EXISTS leads_score_id_idx ON leads (score DESC, id DESC);
