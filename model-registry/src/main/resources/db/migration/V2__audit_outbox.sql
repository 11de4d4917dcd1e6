-- Transactional outbox of audit events: written in the same transaction as the management action it records,
-- relayed to the tenants service (POST /internal/audit) and deleted once it answered 200/201. A row that is here
-- has not been confirmed yet; delivery is at-least-once and the tenants service is idempotent on the id.
create table audit_outbox (
  id          uuid         primary key,
  tenant_id   varchar(64)  not null,
  actor       varchar(255),
  actor_kind  varchar(16)  not null,
  action      varchar(64)  not null,
  target      varchar(255) not null,
  request_id  varchar(128),
  occurred_at timestamptz  not null,
  details     jsonb,
  attempts    integer      not null default 0
);

create index audit_outbox_occurred_idx on audit_outbox (occurred_at);
