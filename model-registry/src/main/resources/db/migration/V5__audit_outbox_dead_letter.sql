-- A row the tenants service keeps refusing (a 4xx other than auth, or a failure of that row alone) must not hold back
-- the rows behind it. Such refusals are counted per row and backed off (next_attempt_at); after
-- infermint.registry.audit-relay-max-refusals of them the row is set aside (failed_at, last_error): kept here, never
-- sent again until an operator clears failed_at. attempts keeps counting every failed delivery, outages included.
alter table audit_outbox add column refusals integer not null default 0;
alter table audit_outbox add column next_attempt_at timestamptz;
alter table audit_outbox add column failed_at timestamptz;
alter table audit_outbox add column last_error varchar(1000);

-- The relay reads pending rows only, oldest first.
create index audit_outbox_pending_idx on audit_outbox (occurred_at, id) where failed_at is null;
