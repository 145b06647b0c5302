// The schema, as ordered migrations. Each runs once, in its own transaction, in version order;
// a migration never changes once released (add a new one). Times are epoch milliseconds (bigint).
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'platform, payments, audit and bulk jobs',
    sql: `
-- ID conversion (ID変換): one random conversion ID per tenant and subject, unlinkable across tenants.
CREATE TABLE conversion_ids (
  tenant        text   NOT NULL,
  subject       text   NOT NULL,
  conversion_id text   NOT NULL,
  created_at    bigint NOT NULL,
  PRIMARY KEY (tenant, subject),
  UNIQUE (tenant, conversion_id)
);

-- J-LIS link data: a renewed serial continues the old one; a signing serial its authentication one.
CREATE TABLE serial_aliases (
  serial     text   PRIMARY KEY,
  target     text   NOT NULL,
  created_at bigint NOT NULL
);

-- Linking (紐付DB): a tenant's customer and cards for a conversion ID.
CREATE TABLE links (
  tenant        text   NOT NULL,
  conversion_id text   NOT NULL,
  customer_ref  text   NOT NULL,
  cards         jsonb  NOT NULL,
  created_at    bigint NOT NULL,
  updated_at    bigint NOT NULL,
  PRIMARY KEY (tenant, conversion_id)
);

-- Change confirmation (変更確認): watched signing certificates and the changes found.
CREATE TABLE watches (
  id     text  PRIMARY KEY,
  tenant text  NOT NULL,
  body   jsonb NOT NULL
);
CREATE TABLE changes (
  seq    bigserial PRIMARY KEY,
  tenant text      NOT NULL,
  body   jsonb     NOT NULL
);
CREATE INDEX changes_by_tenant ON changes (tenant, seq);

-- The audit trail: every verification and payment decision, per tenant.
-- Two indexes, as cheap as an append-only table allows: the key pages a tenant's trail by cursor;
-- a BRIN index on the time (in step with the physical order of appends) serves retention.
CREATE TABLE audit (
  tenant      text      NOT NULL,
  seq         bigserial,
  at          bigint    NOT NULL,
  route       text      NOT NULL,
  code        text      NOT NULL,
  certificate text,
  PRIMARY KEY (tenant, seq)
);
CREATE INDEX audit_by_time ON audit USING brin (at);

-- Payment idempotency: one record per tenant and key, bound to the request (holder included).
-- pending: the institution call may be in flight until call_deadline; done: the decision.
CREATE TABLE payments (
  tenant          text   NOT NULL,
  idempotency_key text   NOT NULL,
  request_fp      text   NOT NULL,
  state           text   NOT NULL CHECK (state IN ('pending', 'done')),
  card_id         text,
  institution     text,
  account_ref     text,
  institution_key text,
  call_deadline   bigint,
  decision        jsonb,
  created_at      bigint NOT NULL,
  updated_at      bigint NOT NULL,
  expires_at      bigint NOT NULL,
  PRIMARY KEY (tenant, idempotency_key)
);
CREATE INDEX payments_by_expiry ON payments (expires_at);

-- Async bulk jobs: the record, the chunks counted once, the results by item index.
CREATE TABLE bulk_jobs (
  id           text    PRIMARY KEY,
  tenant       text    NOT NULL,
  total        integer NOT NULL,
  done         integer NOT NULL DEFAULT 0,
  errors       integer NOT NULL DEFAULT 0,
  state        text    NOT NULL CHECK (state IN ('running', 'completed')),
  created_at   bigint  NOT NULL,
  completed_at bigint,
  webhook      text,
  expires_at   bigint  NOT NULL
);
CREATE INDEX bulk_jobs_by_expiry ON bulk_jobs (expires_at);
CREATE TABLE bulk_job_chunks (
  job_id text    NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
  chunk  integer NOT NULL,
  PRIMARY KEY (job_id, chunk)
);
CREATE TABLE bulk_job_results (
  job_id text    NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
  idx    integer NOT NULL,
  result text    NOT NULL,
  PRIMARY KEY (job_id, idx)
);

-- Once-only claims across processes (e.g. one change re-check per CRL set).
CREATE TABLE claims (
  name       text   PRIMARY KEY,
  expires_at bigint NOT NULL
);

-- Installation-wide secrets made on first start (e.g. the key of per-tenant certificate handles).
CREATE TABLE settings (
  name  text PRIMARY KEY,
  value text NOT NULL
);
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
