-- The console queue at 1M listings / 200k leads (bench suite `console`): each page request also
-- counts every matching lead, and under row-level security the policy needs province_code of each
-- row. These indexes carry what the counts and the policy read, so a count is an index-only scan
-- instead of one random leads (or listings) page per matching lead, and they end in id DESC so the
-- keyset order (key DESC, id DESC) and its cursor come straight from the index.

-- status [+ min score], by score: the count reads (status, score, province_code) only.
CREATE INDEX IF NOT EXISTS leads_status_score_cover_idx ON leads (status, score DESC, id DESC) INCLUDE (province_code, listing_id);
DROP INDEX IF EXISTS leads_status_idx;

-- province [+ status, min score, brand], by score: status and listing_id ride along for the count
-- and for the join to the listing's brand.
CREATE INDEX IF NOT EXISTS leads_province_score_cover_idx ON leads (province_code, score DESC, id DESC) INCLUDE (status, listing_id);
DROP INDEX IF EXISTS leads_province_score_idx;

-- Sorted by last flagged: the keyset is (last_flagged_at, id).
CREATE INDEX IF NOT EXISTS leads_province_flagged_id_idx ON leads (province_code, last_flagged_at DESC, id DESC);
DROP INDEX IF EXISTS leads_province_idx;
CREATE INDEX IF NOT EXISTS leads_flagged_id_idx ON leads (last_flagged_at DESC, id DESC);
DROP INDEX IF EXISTS leads_last_flagged_idx;

-- The brand filter. A page walks leads in order and probes each one's listing: with brand in the index
-- that probe is index-only (lower(brand) is computed from the included column, which PostgreSQL needs
-- for an index-only scan) instead of a listings heap page. A count hashes the brand's listing ids from
-- the second index, also index-only; it replaces listings_brand_idx (same key and predicate).
CREATE INDEX IF NOT EXISTS listings_id_brand_idx ON listings (id) INCLUDE (brand);
CREATE INDEX IF NOT EXISTS listings_brand_id_idx ON listings (lower(brand), id) INCLUDE (brand) WHERE brand IS NOT NULL;
DROP INDEX IF EXISTS listings_brand_idx;
