-- Tenant lifecycle: a deleted tenant keeps its row (audit, billing) and so its slug; deleted_at says when.
alter table tenant drop constraint tenant_status_check;
alter table tenant add constraint tenant_status_check check (status in ('active', 'suspended', 'deleted'));
alter table tenant add column deleted_at timestamptz;

-- When a key was last used, as reported by the gateways in batches (never written per request).
alter table api_key add column last_used_at timestamptz;

-- Who changed what, written in the same transaction as the change. No foreign key: events outlive what they name.
create table audit_event (
  id          bigint       generated always as identity primary key,
  tenant_id   varchar(64),
  actor       varchar(255),
  actor_kind  varchar(16)  not null,
  action      varchar(64)  not null,
  target      varchar(255),
  request_id  varchar(128),
  occurred_at timestamptz  not null,
  details     jsonb
);

create index audit_event_tenant_idx on audit_event (tenant_id, id desc);
