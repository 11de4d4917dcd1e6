-- Usage now arrives through the gateway's Redis Stream, keyed by an event id the gateway mints per admitted call.
-- The client's request id stays only for correlation: a client may reuse it, so it is neither unique nor required.
ALTER TABLE usage_event ADD COLUMN event_id VARCHAR(128);
UPDATE usage_event SET event_id = request_id;
ALTER TABLE usage_event ALTER COLUMN event_id SET NOT NULL;
ALTER TABLE usage_event ADD CONSTRAINT usage_event_event_id_key UNIQUE (event_id);

ALTER TABLE usage_event DROP CONSTRAINT usage_event_request_id_key;
ALTER TABLE usage_event ALTER COLUMN request_id DROP NOT NULL;

ALTER TABLE usage_event ADD COLUMN key_id VARCHAR(128);
ALTER TABLE usage_event ADD COLUMN model_version VARCHAR(64);
-- True when the call was admitted past the monthly quota under overage "bill" (priced per 1,000 such calls).
ALTER TABLE usage_event ADD COLUMN overage BOOLEAN NOT NULL DEFAULT FALSE;

-- Stream entries that could not be billed as they were (missing or unreadable field, unknown schema version, entry
-- deleted before it was stored), with the raw fields and the reason, so that they can be fixed and replayed. They
-- are acknowledged in the stream, so that one bad entry never blocks the ones behind it.
CREATE TABLE usage_dead_letter (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream_key  VARCHAR(255) NOT NULL,
  stream_id   VARCHAR(64)  NOT NULL,
  fields      JSONB        NOT NULL,
  reason      TEXT         NOT NULL,
  received_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT usage_dead_letter_entry_key UNIQUE (stream_key, stream_id)
);
