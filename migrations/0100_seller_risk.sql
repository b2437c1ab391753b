-- Seller risk (issue 22): confirmed leads over 180 days weighted by reach, as a percentile among sellers.
-- A seller is an identity: the network of accounts when the shop belongs to one (networks), else the shop.
-- Every account of a seller carries the seller's figure. One row per shop and formula version, like listing_scores keeps the scoring version: a new formula
-- adds rows beside the old ones instead of rewriting them.
CREATE TABLE seller_risk (
  shop_id          bigint NOT NULL REFERENCES shops(id),
  version          text NOT NULL,
  -- 'network:ID' or 'shop:ID': the identity the figure belongs to.
  seller_key       text NOT NULL,
  -- The end of the 180-day window the figure covers.
  as_of            timestamptz NOT NULL,
  confirmed_leads  integer NOT NULL CHECK (confirmed_leads >= 0),
  weighted         double precision NOT NULL CHECK (weighted >= 0),
  percentile       numeric(4, 1) NOT NULL CHECK (percentile BETWEEN 0 AND 100),
  computed_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shop_id, version)
);
CREATE INDEX seller_risk_rank_idx ON seller_risk (version, percentile DESC, weighted DESC);
