-- Up Migration

-- Why an outbox row went to the relay's dead-letter topic instead of the master topic (an
-- error code, e.g. AVRO_ENCODE_FAILED). NULL for a row published normally, or not yet sent.
-- Such a row is also marked published: it is done, and must not block the rows behind it.
ALTER TABLE outbox ADD COLUMN dead_letter_reason text;

-- Down Migration
ALTER TABLE outbox DROP COLUMN dead_letter_reason;
