-- Schema v1. Forward-only: never edit a migration that has shipped; add a new numbered file.
-- Sized for millions of listings and years of history: surrogate bigint keys, natural-key
-- uniques for idempotent upserts, and an append-only observation table indexed with BRIN.

CREATE TABLE marketplaces (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  home_url    text NOT NULL
);

INSERT INTO marketplaces (id, name, home_url) VALUES
  ('shopee', 'Shopee', 'https://shopee.vn'),
  ('lazada', 'Lazada', 'https://www.lazada.vn'),
  ('tiki',   'Tiki',   'https://tiki.vn'),
  ('sendo',  'Sendo',  'https://www.sendo.vn'),
  ('tiktok', 'TikTok Shop', 'https://www.tiktok.com'),
  ('web',    'Independent web shops', 'https://');

-- Shops linked by phone, tax code, address or near-identical names (recomputed by scoring).
CREATE TABLE networks (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  network_key    text NOT NULL UNIQUE,
  shop_count     integer NOT NULL DEFAULT 0,
  marketplaces   text[] NOT NULL DEFAULT '{}',
  link_kinds     text[] NOT NULL DEFAULT '{}',
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shops (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  marketplace        text NOT NULL REFERENCES marketplaces(id),
  external_id        text NOT NULL,
  name               text NOT NULL,
  url                text,
  raw_address        text,
  declared_location  text,
  -- Parsed address, always in the July 2025 scheme (34 provinces, 2 levels).
  province_code      integer,
  province_name      text,
  ward_code          integer,
  ward_name          text,
  address_quality    text CHECK (address_quality IN
                       ('complete', 'ward_province', 'province_only', 'placeholder', 'missing', 'inconsistent', 'overseas')),
  phone              text,
  phone_e164         text,
  email              text,
  tax_code           text,
  is_official        boolean NOT NULL DEFAULT false,
  is_verified        boolean NOT NULL DEFAULT false,
  joined_at          timestamptz,
  follower_count     integer,
  rating             real,
  listing_count      integer,
  network_id         bigint REFERENCES networks(id),
  raw                jsonb,
  content_hash       text,
  first_seen_at      timestamptz NOT NULL DEFAULT now(),
  last_seen_at       timestamptz NOT NULL DEFAULT now(),
  changed_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT shops_natural_key UNIQUE (marketplace, external_id)
);
CREATE INDEX shops_province_idx ON shops (province_code);
CREATE INDEX shops_phone_idx ON shops (phone_e164) WHERE phone_e164 IS NOT NULL;
CREATE INDEX shops_tax_code_idx ON shops (tax_code) WHERE tax_code IS NOT NULL;
CREATE INDEX shops_network_idx ON shops (network_id) WHERE network_id IS NOT NULL;

CREATE TABLE listings (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  marketplace         text NOT NULL REFERENCES marketplaces(id),
  external_id         text NOT NULL,
  shop_id             bigint REFERENCES shops(id),
  shop_external_id    text,
  title               text NOT NULL,
  description         text,
  brand               text,           -- the brand as the listing states it
  category            text,
  price_vnd           bigint CHECK (price_vnd IS NULL OR price_vnd >= 0),
  original_price_vnd  bigint CHECK (original_price_vnd IS NULL OR original_price_vnd >= 0),
  sold_count          integer,
  rating              real,
  images              text[] NOT NULL DEFAULT '{}',
  url                 text,
  status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed', 'blocked-unknown')),
  raw                 jsonb,
  -- Hash of the fields scoring reads; changed_at moves only when it changes, so
  -- incremental scoring (`radar score --since`) skips listings that were merely seen again.
  content_hash        text,
  first_seen_at       timestamptz NOT NULL DEFAULT now(),
  last_seen_at        timestamptz NOT NULL DEFAULT now(),
  changed_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT listings_natural_key UNIQUE (marketplace, external_id)
);
CREATE INDEX listings_shop_idx ON listings (shop_id);
CREATE INDEX listings_changed_idx ON listings (changed_at);
CREATE INDEX listings_brand_idx ON listings (lower(brand)) WHERE brand IS NOT NULL;

CREATE TABLE crawl_runs (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  adapter          text NOT NULL,
  marketplace      text REFERENCES marketplaces(id),
  mode             text NOT NULL,     -- query | category | shop | url
  target           text NOT NULL,
  params           jsonb NOT NULL DEFAULT '{}',
  status           text NOT NULL DEFAULT 'running'
                     CHECK (status IN ('running', 'completed', 'failed', 'aborted', 'blocked')),
  crawler_version  text,
  started_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz,
  pages            integer NOT NULL DEFAULT 0,
  listings         integer NOT NULL DEFAULT 0,
  shops            integer NOT NULL DEFAULT 0,
  blocked          integer NOT NULL DEFAULT 0,
  errors           integer NOT NULL DEFAULT 0,
  stats            jsonb NOT NULL DEFAULT '{}',
  message          text
);
CREATE INDEX crawl_runs_started_idx ON crawl_runs (started_at DESC);

-- Price/sales history. Append-only and time-ordered, so BRIN on observed_at stays tiny
-- at hundreds of millions of rows; one row per listing per crawl run makes replays idempotent.
CREATE TABLE listing_observations (
  listing_id          bigint NOT NULL REFERENCES listings(id),
  crawl_run_id        bigint NOT NULL REFERENCES crawl_runs(id),
  observed_at         timestamptz NOT NULL DEFAULT now(),
  price_vnd           bigint,
  original_price_vnd  bigint,
  sold_count          integer,
  available           boolean NOT NULL DEFAULT true,
  PRIMARY KEY (listing_id, crawl_run_id)
);
CREATE INDEX listing_observations_time_brin ON listing_observations USING brin (observed_at);

CREATE TABLE brands (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  aliases     text[] NOT NULL DEFAULT '{}',
  categories  text[] NOT NULL DEFAULT '{}',
  premium     boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE brand_authorized_sellers (
  brand_id          bigint NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  marketplace       text NOT NULL REFERENCES marketplaces(id),
  shop_external_id  text NOT NULL,
  PRIMARY KEY (brand_id, marketplace, shop_external_id)
);

CREATE TABLE brand_reference_prices (
  brand_id     bigint NOT NULL REFERENCES brands(id) ON DELETE CASCADE,
  match        text NOT NULL,        -- product-group keyword(s) matched against titles
  min_vnd      bigint NOT NULL CHECK (min_vnd > 0),
  typical_vnd  bigint NOT NULL CHECK (typical_vnd >= min_vnd),
  PRIMARY KEY (brand_id, match)
);

-- Versioned: a new scoring_version adds rows and never overwrites an older version's history.
CREATE TABLE listing_scores (
  listing_id       bigint NOT NULL REFERENCES listings(id),
  scoring_version  text NOT NULL,
  score            smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
  flagged          boolean NOT NULL,
  reasons          jsonb NOT NULL DEFAULT '[]',
  reference_price_vnd bigint,
  content_hash     text,
  scored_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (listing_id, scoring_version)
);
CREATE INDEX listing_scores_flagged_idx ON listing_scores (scoring_version, score DESC) WHERE flagged;

CREATE TABLE leads (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind              text NOT NULL CHECK (kind IN ('listing', 'shop', 'network')),
  listing_id        bigint REFERENCES listings(id),
  shop_id           bigint REFERENCES shops(id),
  network_id        bigint REFERENCES networks(id),
  score             smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
  scoring_version   text NOT NULL,
  reasons           jsonb NOT NULL DEFAULT '[]',
  top_reasons       text,
  province_code     integer,
  province_name     text,
  status            text NOT NULL DEFAULT 'new'
                      CHECK (status IN ('new', 'reviewing', 'confirmed', 'dismissed', 'referred')),
  assignee          text,
  -- The score when an analyst dismissed it: only a material rise re-opens the lead.
  dismissed_score   smallint,
  first_flagged_at  timestamptz NOT NULL DEFAULT now(),
  last_flagged_at   timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT leads_subject CHECK (
    (kind = 'listing' AND listing_id IS NOT NULL) OR
    (kind = 'shop' AND shop_id IS NOT NULL) OR
    (kind = 'network' AND network_id IS NOT NULL))
);
CREATE UNIQUE INDEX leads_listing_key ON leads (listing_id) WHERE kind = 'listing';
CREATE UNIQUE INDEX leads_shop_key ON leads (shop_id) WHERE kind = 'shop';
CREATE UNIQUE INDEX leads_network_key ON leads (network_id) WHERE kind = 'network';
CREATE INDEX leads_status_idx ON leads (status, score DESC);
CREATE INDEX leads_province_idx ON leads (province_code, last_flagged_at DESC);
CREATE INDEX leads_last_flagged_idx ON leads (last_flagged_at DESC);

CREATE TABLE lead_events (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  lead_id      bigint NOT NULL REFERENCES leads(id),
  at           timestamptz NOT NULL DEFAULT now(),
  actor        text NOT NULL DEFAULT 'system',
  event        text NOT NULL,     -- created | reflagged | status | note | reopened | evidence
  from_status  text,
  to_status    text,
  note         text,
  data         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX lead_events_lead_idx ON lead_events (lead_id, at);

CREATE TABLE evidence (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  listing_id        bigint REFERENCES listings(id),
  shop_id           bigint REFERENCES shops(id),
  url               text NOT NULL,
  captured_at       timestamptz NOT NULL,
  captured_at_local text NOT NULL,   -- the same instant written in Asia/Ho_Chi_Minh
  crawler_version   text NOT NULL,
  -- [{kind, path, sha256, bytes, content_type}]; paths are relative to RADAR_DATA_DIR/evidence
  files             jsonb NOT NULL DEFAULT '[]',
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evidence_listing_idx ON evidence (listing_id, captured_at DESC);
CREATE INDEX evidence_shop_idx ON evidence (shop_id, captured_at DESC);
