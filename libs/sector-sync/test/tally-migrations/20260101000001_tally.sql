-- Up Migration
CREATE TABLE tally_people (key text PRIMARY KEY, name text NOT NULL, version bigint NOT NULL);
CREATE TABLE tally_log (
  id bigserial PRIMARY KEY,
  event_id text NOT NULL,
  kafka_partition int NOT NULL,
  kafka_offset bigint NOT NULL
);

-- Down Migration
DROP TABLE tally_log;
DROP TABLE tally_people;
