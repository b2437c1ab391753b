-- Province routing: a shop is routed to the province its address names; failing that, to the location
-- the marketplace declares for it, then its landline's area code, then the warehouse city (Sendo).
-- shops.province_code/province_name now hold that routed province (ward and address_quality still come
-- from the address alone) and province_source says which of the four placed it. Leads keep the source
-- of the province they were given. flagged_listings gains province_source, appended at the end
-- because CREATE OR REPLACE VIEW may only add columns (and it keeps the grants others add).
ALTER TABLE shops ADD COLUMN IF NOT EXISTS province_source text
  CHECK (province_source IN ('address', 'declared', 'phone', 'warehouse'));
ALTER TABLE leads ADD COLUMN IF NOT EXISTS province_source text
  CHECK (province_source IN ('address', 'declared', 'phone', 'warehouse'));

-- Until this migration only addresses placed a shop.
UPDATE shops SET province_source = 'address' WHERE province_code IS NOT NULL AND province_source IS NULL;
UPDATE leads SET province_source = 'address' WHERE province_code IS NOT NULL AND province_source IS NULL;

COMMENT ON COLUMN shops.province_code IS '2025 province the shop is routed to (see province_source)';
COMMENT ON COLUMN shops.province_source IS 'address | declared | phone | warehouse: what placed the shop in province_code';

CREATE OR REPLACE VIEW flagged_listings AS
SELECT
  ld.id                 AS lead_id,
  l.id                  AS listing_id,
  l.marketplace,
  l.external_id         AS listing_external_id,
  l.url,
  l.title,
  l.brand,
  l.category,
  l.price_vnd,
  l.original_price_vnd,
  ls.reference_price_vnd,
  l.status              AS listing_status,
  s.id                  AS shop_id,
  s.external_id         AS shop_external_id,
  s.name                AS shop_name,
  s.raw_address         AS shop_address,
  s.province_code,
  s.province_name,
  s.ward_code,
  s.ward_name,
  s.address_quality,
  ld.score,
  ld.scoring_version,
  ld.top_reasons,
  ld.reasons,
  s.network_id,
  ld.first_flagged_at,
  ld.last_flagged_at,
  ld.status,
  ld.assignee,
  COALESCE(ev.evidence_count, 0) AS evidence_count,
  ev.latest_capture_at,
  -- v2 additions
  s.url                 AS shop_url,
  s.declared_location   AS shop_declared_location,
  n.network_key,
  n.shop_count          AS network_shop_count,
  n.marketplaces        AS network_marketplaces,
  (SELECT string_agg(r.value->>'vi', '; ' ORDER BY r.ord)
     FROM jsonb_array_elements(ld.reasons) WITH ORDINALITY AS r(value, ord)
    WHERE r.ord <= 3)   AS top_reasons_vi,
  ld.updated_at         AS lead_updated_at,
  -- v3 (0070): how the shop was routed to province_code/province_name.
  CASE WHEN s.province_code IS NOT NULL THEN s.province_source END AS province_source
FROM leads ld
JOIN listings l ON l.id = ld.listing_id
LEFT JOIN shops s ON s.id = l.shop_id
LEFT JOIN networks n ON n.id = s.network_id
LEFT JOIN listing_scores ls ON ls.listing_id = l.id AND ls.scoring_version = ld.scoring_version
LEFT JOIN LATERAL (
  SELECT count(*)::integer AS evidence_count, max(e.captured_at) AS latest_capture_at
  FROM evidence e WHERE e.listing_id = l.id
) ev ON true
WHERE ld.kind = 'listing';
