-- Up Migration

-- The payload's Avro body (without the 5-byte Confluent header), encoded in the writing
-- transaction with the writer schema shipped in this service, and that schema's
-- fingerprint. The registry is not needed to write it (it is still not needed to accept a
-- command). The relay frames the body with the registered schema id when the fingerprint
-- is the one of the schema it registered; otherwise (rows written before this column, or
-- by another version of the service) it encodes `payload` as before. `payload` stays the
-- readable, authoritative copy.
ALTER TABLE outbox
  ADD COLUMN payload_avro bytea,
  ADD COLUMN payload_schema bytea;

-- Down Migration
ALTER TABLE outbox
  DROP COLUMN payload_avro,
  DROP COLUMN payload_schema;
