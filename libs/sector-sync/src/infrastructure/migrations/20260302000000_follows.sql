-- Up Migration
-- The sector's follow-list (subscriber indications): which citizens it wants changes about.
-- Durable here; every change is also a row of the follows outbox, relayed to sync.follows.
CREATE TABLE sync_follows (
  personal_id text        PRIMARY KEY,
  following   boolean     NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sync_follow_outbox (
  seq          bigserial   PRIMARY KEY,
  personal_id  text        NOT NULL,
  following    boolean     NOT NULL,
  changed_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);

CREATE INDEX sync_follow_outbox_pending ON sync_follow_outbox (seq) WHERE published_at IS NULL;

-- Down Migration
DROP TABLE sync_follow_outbox;
DROP TABLE sync_follows;
