-- The payment processor's ids of the plan catalog, matched (by lookup key) or created when billing starts.
CREATE TABLE payment_catalog (
  provider         VARCHAR(32)  NOT NULL,
  plan             VARCHAR(64)  NOT NULL,
  product_id       VARCHAR(255) NOT NULL,
  flat_price_id    VARCHAR(255) NOT NULL,
  overage_price_id VARCHAR(255),
  meter_id         VARCHAR(255) NOT NULL,
  meter_event_name VARCHAR(255) NOT NULL,
  synced_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, plan)
);

-- One customer at the processor per tenant. The create call carries an Idempotency-Key made from the tenant id, so
-- a crash between Stripe's answer and this insert makes no second customer when retried.
CREATE TABLE payment_customer (
  tenant_id   VARCHAR(64)  PRIMARY KEY,
  provider    VARCHAR(32)  NOT NULL,
  customer_id VARCHAR(255) NOT NULL,
  created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT payment_customer_customer_key UNIQUE (provider, customer_id)
);
