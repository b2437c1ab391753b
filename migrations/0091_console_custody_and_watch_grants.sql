-- The console's status changes and exports append to the custody log (0076) as the analyst who made them.
GRANT INSERT ON custody_log TO radar_console;
-- Webhook secrets are for the alert worker only; the console roles read watchlists, not subscriptions.
REVOKE ALL ON alert_subscriptions, alert_deliveries FROM radar_console_read, radar_console;
-- Analysts may query the watchlists and what changed on them (radar sql, db serve).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'radar_reader') THEN
    GRANT SELECT ON watch_items, watch_events TO radar_reader;
  END IF;
END $$;

-- Row-level security (0086) scopes the console's roles; `radar sql` and `db serve` are the operator's
-- national view and read every row, still read-only (0060).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'radar_reader') THEN
    DROP POLICY IF EXISTS reader_all ON leads;
    CREATE POLICY reader_all ON leads FOR SELECT TO radar_reader USING (true);
    DROP POLICY IF EXISTS reader_all ON lead_events;
    CREATE POLICY reader_all ON lead_events FOR SELECT TO radar_reader USING (true);
    DROP POLICY IF EXISTS reader_all ON evidence;
    CREATE POLICY reader_all ON evidence FOR SELECT TO radar_reader USING (true);
  END IF;
END $$;
