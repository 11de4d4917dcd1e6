-- One row per admitted inference call, posted by the gateway. request_id is the idempotency key: a retried post
-- of the same call inserts nothing (INSERT ... ON CONFLICT DO NOTHING).
CREATE TABLE usage_event (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id  VARCHAR(128) NOT NULL,
  tenant_id   VARCHAR(64)  NOT NULL,
  model       VARCHAR(255) NOT NULL,
  endpoint    VARCHAR(255) NOT NULL,
  units       BIGINT       NOT NULL DEFAULT 0 CHECK (units >= 0),
  compute_ms  BIGINT       NOT NULL DEFAULT 0 CHECK (compute_ms >= 0),
  status      INTEGER      NOT NULL,
  occurred_at TIMESTAMPTZ  NOT NULL,
  recorded_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT usage_event_request_id_key UNIQUE (request_id)
);

-- Usage reports filter by tenant and time range.
CREATE INDEX usage_event_tenant_time_idx ON usage_event (tenant_id, occurred_at);
