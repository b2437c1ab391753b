-- One row per flagged listing with everything an analyst filters or exports on, no joins needed.
CREATE VIEW flagged_listings AS
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
  ev.latest_capture_at
FROM leads ld
JOIN listings l ON l.id = ld.listing_id
LEFT JOIN shops s ON s.id = l.shop_id
LEFT JOIN listing_scores ls ON ls.listing_id = l.id AND ls.scoring_version = ld.scoring_version
LEFT JOIN LATERAL (
  SELECT count(*)::integer AS evidence_count, max(e.captured_at) AS latest_capture_at
  FROM evidence e WHERE e.listing_id = l.id
) ev ON true
WHERE ld.kind = 'listing';
