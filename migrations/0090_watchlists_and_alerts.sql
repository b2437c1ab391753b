-- Watchlists: what analysts keep under watch, and what changed on it.
CREATE TABLE watch_items (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('shop', 'listing', 'phone', 'tax_code', 'keyword')),
  -- Normalised: a shop or listing URL becomes its marketplace and external id; a phone its E.164 form.
  value          text NOT NULL,
  marketplace    text REFERENCES marketplaces(id),
  url            text,
  note           text,
  province_code  integer,
  owner          text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  -- Null until the first check, which records the baseline rather than changes.
  checked_at     timestamptz,
  removed_at     timestamptz
);
CREATE UNIQUE INDEX watch_items_active_key ON watch_items (kind, value, coalesce(marketplace, '')) WHERE removed_at IS NULL;

-- The last state seen of each watched listing, so the next crawl can say what changed.
CREATE TABLE watch_snapshots (
  watch_item_id  bigint NOT NULL REFERENCES watch_items(id),
  listing_id     bigint NOT NULL REFERENCES listings(id),
  title          text NOT NULL,
  price_vnd      bigint,
  available      boolean NOT NULL,
  seen_at        timestamptz NOT NULL,
  PRIMARY KEY (watch_item_id, listing_id)
);

CREATE TABLE watch_events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  watch_item_id  bigint NOT NULL REFERENCES watch_items(id),
  listing_id     bigint REFERENCES listings(id),
  shop_id        bigint REFERENCES shops(id),
  at             timestamptz NOT NULL DEFAULT now(),
  change         text NOT NULL CHECK (change IN ('new_listing', 'price', 'title', 'stock', 'removed', 'reappeared')),
  old_value      text,
  new_value      text
);
CREATE INDEX watch_events_at_idx ON watch_events (at);
CREATE INDEX watch_events_item_idx ON watch_events (watch_item_id, at);

-- Alerts: who gets a digest, and every delivery attempt's outcome (failures stay visible in `radar status`).
CREATE TABLE alert_subscriptions (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel        text NOT NULL CHECK (channel IN ('email', 'webhook')),
  target         text NOT NULL,
  -- Webhooks: the HMAC key the receiver checks X-Radar-Signature with.
  secret         text,
  province_code  integer,
  owner          text NOT NULL,
  min_score      smallint NOT NULL DEFAULT 80 CHECK (min_score BETWEEN 0 AND 100),
  active         boolean NOT NULL DEFAULT true,
  last_sent_at   timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT alert_webhook_secret CHECK (channel <> 'webhook' OR secret IS NOT NULL)
);

CREATE TABLE alert_deliveries (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscription_id  bigint REFERENCES alert_subscriptions(id),
  channel          text NOT NULL,
  target           text NOT NULL,
  digest           jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX alert_deliveries_status_idx ON alert_deliveries (status, updated_at DESC);
