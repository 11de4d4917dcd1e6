-- Subscriptions at the payment processor, as billing last read them from it (webhooks are hints: the object is
-- re-read, so this row is the processor's state at that read, whatever order the events came in). Drives the
-- tenant's plan: trialing/active give the subscription's plan, past_due keeps it for the grace, then the fallback.
CREATE TABLE payment_subscription (
  subscription_id    VARCHAR(255) PRIMARY KEY,
  provider           VARCHAR(32)  NOT NULL,
  tenant_id          VARCHAR(64)  NOT NULL,
  customer_id        VARCHAR(255) NOT NULL,
  status             VARCHAR(32)  NOT NULL,
  -- The plan its flat price belongs to; null when none of its prices is one of ours.
  plan               VARCHAR(64),
  current_period_end TIMESTAMPTZ,
  -- When billing first saw it past_due (kept while it stays past_due, cleared when it leaves).
  past_due_since     TIMESTAMPTZ,
  -- When the end of the past-due grace was applied to the tenant's plan (so the check acts once).
  grace_ended_at     TIMESTAMPTZ,
  updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX payment_subscription_tenant ON payment_subscription (tenant_id);
CREATE INDEX payment_subscription_past_due ON payment_subscription (past_due_since)
  WHERE status = 'past_due' AND grace_ended_at IS NULL;

-- Every webhook event processed, once: the id is the processor's event id. A replay finds its row and changes
-- nothing; an event whose handling failed (processor or tenants unreachable) is not stored, so the retry runs.
CREATE TABLE payment_webhook_event (
  event_id    VARCHAR(255) PRIMARY KEY,
  provider    VARCHAR(32)  NOT NULL,
  type        VARCHAR(128) NOT NULL,
  api_version VARCHAR(64),
  -- When the processor created the event.
  created     TIMESTAMPTZ,
  received_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
  -- synced, ignored, tenant_unknown or object_missing
  outcome     VARCHAR(32)  NOT NULL,
  detail      VARCHAR(1000)
);
