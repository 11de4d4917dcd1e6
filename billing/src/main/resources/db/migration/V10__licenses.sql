-- Licences (SPEC §5 "Licences"). V10, well ahead of the usage migrations, so that other billing migrations can land
-- in between without renumbering.

-- Ed25519 keys that sign licences and machine files. kid is the key's RFC 7638 JWK thumbprint, so the same key always
-- has the same kid. Exactly one key signs; every key not retired is listed in jwks.json, so licences signed before a
-- rotation stay verifiable. private_key (PKCS#8 PEM) is kept only for keys generated here; a key taken from
-- INFERMINT_LICENSE_SIGNING_KEY stays in the environment and only its public half is stored.
CREATE TABLE license_signing_key (
  kid         VARCHAR(64) PRIMARY KEY,
  public_key  TEXT        NOT NULL,
  private_key TEXT,
  source      VARCHAR(16) NOT NULL CHECK (source IN ('generated', 'environment')),
  signing     BOOLEAN     NOT NULL DEFAULT FALSE,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  retired_at  TIMESTAMPTZ
);
CREATE UNIQUE INDEX license_signing_key_one_signing ON license_signing_key (signing) WHERE signing;

-- A licence and its policy (Keygen's model). key_hash is the SHA-256 of the secret key: the key is shown once.
CREATE TABLE license (
  id                       UUID         PRIMARY KEY,
  tenant_id                VARCHAR(64)  NOT NULL,
  product                  VARCHAR(128) NOT NULL,
  key_hash                 CHAR(64)     NOT NULL,
  key_prefix               VARCHAR(16)  NOT NULL,
  status                   VARCHAR(16)  NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED')),
  max_machines             INTEGER      NOT NULL CHECK (max_machines >= 1),
  floating                 BOOLEAN      NOT NULL,
  expiration_strategy      VARCHAR(16)  NOT NULL CHECK (expiration_strategy IN ('REVOKE_ACCESS', 'RESTRICT_ACCESS')),
  heartbeat_seconds        INTEGER      CHECK (heartbeat_seconds > 0),
  machine_file_ttl_seconds INTEGER      NOT NULL CHECK (machine_file_ttl_seconds > 0),
  entitlements             TEXT[]       NOT NULL,
  expires_at               TIMESTAMPTZ,
  created_at               TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT license_key_hash_key UNIQUE (key_hash),
  -- Node-locked: bound to one machine.
  CONSTRAINT license_node_locked_one_machine CHECK (floating OR max_machines = 1)
);
CREATE INDEX license_tenant_idx ON license (tenant_id, created_at);

-- Machines activated on a licence. Activation locks the licence row (SELECT ... FOR UPDATE) before it counts, so
-- maxMachines holds however many activations race; one fingerprint is activated at most once per licence.
CREATE TABLE license_machine (
  id                UUID         PRIMARY KEY,
  license_id        UUID         NOT NULL REFERENCES license (id) ON DELETE CASCADE,
  fingerprint       VARCHAR(255) NOT NULL,
  name              VARCHAR(255),
  created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
  last_heartbeat_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
  CONSTRAINT license_machine_fingerprint_key UNIQUE (license_id, fingerprint)
);
