-- Up Migration

-- One row per personal ID number ever issued. A number is never deleted and never
-- reissued: the primary key makes reuse impossible even if the generator repeats.
CREATE TABLE personal_ids (
  personal_id   char(12) PRIMARY KEY CHECK (personal_id ~ '^[0-9]{12}$'),
  issued_at     timestamptz NOT NULL DEFAULT now(),
  cancelled_at  timestamptz,
  cancel_reason text,
  replaced_by   char(12) REFERENCES personal_ids (personal_id)
);

-- The current state of each citizen record, keyed by its personal ID (the Kafka key).
-- `version` goes up by exactly one per recorded change.
CREATE TABLE citizens (
  personal_id          char(12) PRIMARY KEY REFERENCES personal_ids (personal_id),
  version              bigint NOT NULL CHECK (version >= 1),
  status               text NOT NULL CHECK (status IN ('ACTIVE', 'DECEASED', 'MERGED', 'CANCELLED')),
  state                jsonb NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);

-- Every change ever recorded, per citizen and version: the history query reads it.
CREATE TABLE citizen_changes (
  personal_id   char(12) NOT NULL REFERENCES citizens (personal_id),
  version       bigint NOT NULL,
  event_id      uuid NOT NULL UNIQUE,
  change_type   text NOT NULL,
  effective_on  date NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  changed       jsonb NOT NULL,
  PRIMARY KEY (personal_id, version)
);

-- Idempotency-Key: the first request with a key records its result; a retry gets it back.
CREATE TABLE idempotency_keys (
  scope         text NOT NULL,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  response      jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- Transactional outbox. Rows are inserted with the state change and never updated
-- except for the published marker; `seq` orders the rows of one citizen because each
-- change holds the citizen's row lock until commit. The writer sends one NOTIFY per
-- transaction (not per row: per-row notifies serialise commits) just before COMMIT.
CREATE TABLE outbox (
  seq               bigserial PRIMARY KEY,
  event_id          uuid NOT NULL UNIQUE,
  aggregate_type    text NOT NULL,
  aggregate_id      text NOT NULL,
  aggregate_version bigint NOT NULL,
  event_type        text NOT NULL,
  payload           jsonb NOT NULL,
  occurred_at       timestamptz NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at      timestamptz,
  UNIQUE (aggregate_id, aggregate_version)
);

-- The relay only ever reads unpublished rows: a partial index keeps that cheap however
-- large the published history grows.
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;

-- Down Migration
DROP TABLE IF EXISTS outbox;
DROP TABLE IF EXISTS idempotency_keys;
DROP TABLE IF EXISTS citizen_changes;
DROP TABLE IF EXISTS citizens;
DROP TABLE IF EXISTS personal_ids;
