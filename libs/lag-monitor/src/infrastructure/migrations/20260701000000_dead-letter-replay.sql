-- Up Migration
-- Who replayed which dead letter where, and when. A letter is replayed at most once
-- unless someone forces it on purpose (the partial unique index).
CREATE TABLE dead_letter_replay (
  id bigserial PRIMARY KEY,
  dlt_topic text NOT NULL,
  dlt_partition integer NOT NULL,
  dlt_offset bigint NOT NULL,
  target_topic text NOT NULL,
  target_partition integer,
  target_offset bigint,
  key_masked text,
  reason text NOT NULL,
  replayed_by text NOT NULL,
  replayed_at timestamptz NOT NULL DEFAULT now(),
  forced boolean NOT NULL DEFAULT false
);

CREATE UNIQUE INDEX dead_letter_replay_once
  ON dead_letter_replay (dlt_topic, dlt_partition, dlt_offset)
  WHERE NOT forced;

CREATE INDEX dead_letter_replay_by_topic ON dead_letter_replay (dlt_topic, replayed_at DESC);

-- Down Migration
DROP TABLE dead_letter_replay;
