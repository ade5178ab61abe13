-- Up Migration

-- The W3C trace context of the command that wrote the row (its outbox-write span), so that
-- the relay's publish, and every stage after it, continue the command's trace. NULL when
-- tracing is off or the row predates this column.
ALTER TABLE outbox ADD COLUMN traceparent text;

-- Down Migration
ALTER TABLE outbox DROP COLUMN traceparent;
