-- Up Migration
-- Where each partition's consumption stands; written in the same transaction as
-- the sector's rows, so the database, not Kafka, is the source of truth.
CREATE TABLE sync_offsets (
  group_id    text        NOT NULL,
  topic       text        NOT NULL,
  partition   integer     NOT NULL,
  next_offset bigint      NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_id, topic, partition)
);

-- The last applied version per aggregate (personal ID): makes replays and
-- duplicate deliveries no-ops.
CREATE TABLE sync_versions (
  aggregate_key text        NOT NULL PRIMARY KEY,
  version       bigint      NOT NULL,
  event_id      text        NOT NULL,
  applied_at    timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE sync_versions;
DROP TABLE sync_offsets;
