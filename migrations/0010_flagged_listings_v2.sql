-- flagged_listings v2: the columns analysts asked for that v1 lacked (network key and reach, the
-- Vietnamese top reasons, shop links), appended at the end because CREATE OR REPLACE VIEW may only add
-- columns. Plus indexes for the filters every recipe and `radar leads list` use.
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
  ld.updated_at         AS lead_updated_at
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

-- Weekly exports and "this week's" recipes range over first/last flagged.
CREATE INDEX IF NOT EXISTS leads_first_flagged_idx ON leads (first_flagged_at);
-- The default listing: open leads of one kind, best first.
CREATE INDEX IF NOT EXISTS leads_kind_score_idx ON leads (kind, score DESC, id);
-- `radar leads stats` groups reviewed leads by scoring version.
CREATE INDEX IF NOT EXISTS leads_scoring_version_idx ON leads (scoring_version, status);
-- `--marketplace` and per-marketplace recipes.
CREATE INDEX IF NOT EXISTS listings_marketplace_idx ON listings (marketplace, id);
-- Review history by verdict ("what was dismissed this month").
CREATE INDEX IF NOT EXISTS lead_events_status_idx ON lead_events (to_status, at) WHERE to_status IS NOT NULL;
