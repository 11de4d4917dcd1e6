-- Licences bought through Checkout (mode payment): one row per checkout session, written in the transaction that
-- issues the licence, so that a webhook delivered twice (or two events of one session) issues one licence. The
-- licence's key is not kept: the buyer claims a fresh one once (claimed_at), and only its hash is stored.
CREATE TABLE license_purchase (
  checkout_session_id VARCHAR(255) PRIMARY KEY,
  tenant_id           VARCHAR(64)  NOT NULL,
  product             VARCHAR(128) NOT NULL,
  license_id          UUID         NOT NULL REFERENCES license (id),
  purchased_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
  claimed_at          TIMESTAMPTZ
);
CREATE INDEX license_purchase_tenant_idx ON license_purchase (tenant_id);
