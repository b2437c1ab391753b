-- Analysts may query the seller risk figures (radar sql, db serve), like the other lead tables (0060).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'radar_reader') THEN
    GRANT SELECT ON seller_risk TO radar_reader;
  END IF;
END $$;
