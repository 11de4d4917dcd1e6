-- Tenants are Keycloak organizations: the id is the organization id Keycloak assigned.
create table tenant (
  id         varchar(64)  primary key,
  slug       varchar(40)  not null,
  name       varchar(200) not null,
  plan       varchar(32)  not null,
  status     varchar(16)  not null,
  created_at timestamptz  not null default now(),
  constraint tenant_slug_key unique (slug),
  constraint tenant_status_check check (status in ('active', 'suspended'))
);

-- API keys: only the SHA-256 of the secret is stored; revoked keys are kept for the audit trail.
create table api_key (
  id         uuid         primary key,
  tenant_id  varchar(64)  not null references tenant (id) on delete cascade,
  name       varchar(100) not null,
  prefix     varchar(16)  not null,
  key_hash   char(64)     not null,
  scopes     text         not null,
  created_at timestamptz  not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  constraint api_key_key_hash_key unique (key_hash)
);

create index api_key_tenant_idx on api_key (tenant_id, created_at);
