-- Models, their versions, aliases and deployment settings. Blob files live on disk, named by the digests below.

create table model (
  id           bigserial    primary key,
  owner        varchar(64)  not null,          -- tenant id, or 'public' for the catalog
  name         varchar(63)  not null,
  task         varchar(32)  not null,          -- task of the newest upload
  last_version integer      not null default 0, -- versions are never reused, even after a delete
  created_at   timestamptz  not null,
  constraint model_owner_name_uq unique (owner, name)
);

create table model_version (
  id               bigserial    primary key,
  model_id         bigint       not null references model (id) on delete cascade,
  version          integer      not null,
  task             varchar(32)  not null,
  digest           varchar(71)  not null,      -- sha256:<hex>
  size_bytes       bigint       not null,
  opset            integer,
  inputs           jsonb        not null,
  outputs          jsonb        not null,
  tokenizer_digest varchar(71),
  labels           jsonb,
  created_at       timestamptz  not null,
  constraint model_version_uq unique (model_id, version)
);

create index model_version_digest_idx on model_version (digest);
create index model_version_tokenizer_digest_idx on model_version (tokenizer_digest);

create table model_alias (
  model_id   bigint       not null references model (id) on delete cascade,
  alias      varchar(32)  not null,
  version    integer      not null,
  updated_at timestamptz  not null,
  primary key (model_id, alias)
);

create table deployment (
  model_id           bigint      primary key references model (id) on delete cascade,
  replicas           integer     not null,
  device             varchar(8)  not null,
  max_batch_size     integer     not null,
  max_queue_delay_ms integer     not null,
  updated_at         timestamptz not null
);
