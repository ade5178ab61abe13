-- Up Migration
-- One receipt per applied event, written in the batch's transaction (a receipt exists iff the
-- apply committed). The table is also the receipts' outbox: published_at is set once the
-- broker acknowledged the receipt on the receipts topic.
CREATE TABLE sync_receipts (
  seq            bigserial   PRIMARY KEY,
  group_id       text        NOT NULL,
  event_id       text        NOT NULL,
  personal_id    text        NOT NULL,
  event_type     text        NOT NULL,
  fields         text[]      NOT NULL,
  policy_version integer     NOT NULL,
  applied_at     timestamptz NOT NULL DEFAULT now(),
  published_at   timestamptz,
  -- A rebuild re-applies events the sector already received: the first receipt stands.
  UNIQUE (group_id, event_id)
);

-- The relay walks only the unpublished rows, in seq order.
CREATE INDEX sync_receipts_pending ON sync_receipts (seq) WHERE published_at IS NULL;

-- Down Migration
DROP TABLE sync_receipts;
