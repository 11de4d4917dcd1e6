-- Workers that serve models, where each deployment is placed, and the numbered log of every change consumers follow.

-- A worker registers and heartbeats (PUT /internal/workers/{id}); one whose heartbeat is older than
-- infermint.registry.worker-ttl is lost: its placements move to another worker. Rows are kept for the console.
create table worker (
  id                  varchar(64)  primary key,
  url                 varchar(255) not null,
  device              varchar(8)   not null,
  memory_budget_bytes bigint       not null,
  memory_factor       double precision not null,
  registered_at       timestamptz  not null,
  last_heartbeat      timestamptz  not null,
  lost_at             timestamptz
);

-- One replica of a model version assigned to a worker: assigned until the worker reports it loaded (ready), or
-- failed with the worker's reason. A rollout holds the old and the new version's rows until the new one is ready.
create table placement (
  model_id    bigint       not null references model (id) on delete cascade,
  version     integer      not null,
  worker_id   varchar(64)  not null references worker (id) on delete cascade,
  state       varchar(16)  not null check (state in ('assigned', 'ready', 'failed')),
  reason      varchar(1000),
  weight      bigint       not null,
  assigned_at timestamptz  not null,
  ready_at    timestamptz,
  primary key (model_id, version, worker_id)
);

create index placement_worker_idx on placement (worker_id);

-- The version a deployed model serves now (what a call without a version runs). It moves to the production alias's
-- (else the newest) version only once that version is ready on its replicas: a zero-downtime rollout.
alter table deployment add column serving_version integer;

-- Every change, numbered. Written in the transaction of the change, with pg_notify('infermint_registry', seq) so that
-- listeners wake at once; consumers read GET /internal/events?after=<seq> and so miss nothing while away.
create table registry_event (
  seq         bigserial    primary key,
  type        varchar(32)  not null,
  owner       varchar(64),
  model       varchar(63),
  version     integer,
  worker_id   varchar(64),
  details     jsonb,
  occurred_at timestamptz  not null
);
