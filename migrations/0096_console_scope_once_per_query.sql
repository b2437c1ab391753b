-- The console's scope test (0086) read current_setting() and parsed radar.provinces once per row: a
-- queue count over 34k leads paid 34k string_to_array calls. Wrapped in scalar subqueries, the settings
-- become init plans, evaluated once per query, and each row only compares with their result. Same
-- policies, same names, same meaning. (The ::integer[] after the subquery makes ANY take one array
-- value, not the rows of a subquery.)
DROP POLICY IF EXISTS console_scope_select ON leads;
CREATE POLICY console_scope_select ON leads FOR SELECT TO radar_console_read, radar_console
  USING ((SELECT current_setting('radar.scope', true)) = 'all'
         OR province_code = ANY ((SELECT string_to_array(NULLIF(current_setting('radar.provinces', true), ''), ',')::integer[])::integer[]));
DROP POLICY IF EXISTS console_scope_update ON leads;
CREATE POLICY console_scope_update ON leads FOR UPDATE TO radar_console
  USING ((SELECT current_setting('radar.scope', true)) = 'all'
         OR province_code = ANY ((SELECT string_to_array(NULLIF(current_setting('radar.provinces', true), ''), ',')::integer[])::integer[]))
  WITH CHECK ((SELECT current_setting('radar.scope', true)) = 'all'
         OR province_code = ANY ((SELECT string_to_array(NULLIF(current_setting('radar.provinces', true), ''), ',')::integer[])::integer[]));

DROP POLICY IF EXISTS console_scope_select ON evidence;
CREATE POLICY console_scope_select ON evidence FOR SELECT TO radar_console_read, radar_console
  USING ((SELECT current_setting('radar.scope', true)) = 'all'
         OR EXISTS (SELECT 1 FROM leads ld WHERE ld.kind = 'listing' AND ld.listing_id = evidence.listing_id)
         OR EXISTS (SELECT 1 FROM leads ld WHERE ld.kind = 'shop' AND ld.shop_id = evidence.shop_id)
         OR EXISTS (SELECT 1 FROM leads ld JOIN listings l ON l.shop_id = ld.shop_id
                     WHERE ld.kind = 'shop' AND l.id = evidence.listing_id));
