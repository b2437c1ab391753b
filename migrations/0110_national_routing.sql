-- National routing (issue 18): a shop that nothing places in a province is no longer "unknown". Its
-- leads go to the national steering committee (Ban Chỉ đạo 389 quốc gia), and province_source says why:
-- 'overseas' (a cross-border seller: its address or the marketplace's label says abroad) or 'none' (no
-- location the marketplace shows). province_code stays NULL for them, so "has a province" keeps meaning
-- exactly that. Only the province_source expression of flagged_listings changes; it stays the last
-- column, and CREATE OR REPLACE VIEW resets the view's options, so security_invoker is set again (0086).
ALTER TABLE shops DROP CONSTRAINT IF EXISTS shops_province_source_check;
ALTER TABLE shops ADD CONSTRAINT shops_province_source_check
  CHECK (province_source IN ('address', 'declared', 'phone', 'warehouse', 'overseas', 'none'));
ALTER TABLE leads DROP CONSTRAINT IF EXISTS leads_province_source_check;
ALTER TABLE leads ADD CONSTRAINT leads_province_source_check
  CHECK (province_source IN ('address', 'declared', 'phone', 'warehouse', 'overseas', 'none'));

-- Shops scored before 0110 and left without a province get their reason now; the next scoring run
-- rewrites every one from the full label resolution (scoring/address/route.ts). Unscored shops
-- (address_quality NULL) stay NULL until then.
UPDATE shops SET province_source = CASE
    WHEN address_quality = 'overseas'
      OR lower(btrim(declared_location)) IN ('nước ngoài', 'nuoc ngoai', 'quốc tế', 'quoc te', 'overseas') THEN 'overseas'
    ELSE 'none' END
 WHERE province_code IS NULL AND province_source IS NULL AND address_quality IS NOT NULL;

COMMENT ON COLUMN shops.province_source IS
  'address | declared | phone | warehouse: what placed the shop in province_code; overseas | none (province_code NULL): why its leads go to the national committee';

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
  -- v3 (0070): how the shop was routed to province_code/province_name; since 0110, with no province,
  -- why its leads go to the national committee ('overseas', 'none'). A listing without a shop: 'none'.
  CASE
    WHEN s.id IS NULL THEN 'none'
    WHEN s.province_code IS NOT NULL OR s.province_source IN ('overseas', 'none') THEN s.province_source
  END AS province_source
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

ALTER VIEW flagged_listings SET (security_invoker = true);
