-- Events sent by other services (the model registry's outbox) carry an id chosen by the sender, so that a retried
-- delivery is stored once. Events the tenants service writes itself have none (null, never conflicting).
alter table audit_event add column event_id uuid;
alter table audit_event add constraint audit_event_event_id_uq unique (event_id);
