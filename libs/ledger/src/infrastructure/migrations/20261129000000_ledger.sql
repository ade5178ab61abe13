-- Up Migration
-- The purpose and legal basis of each recipient under each sharing-policy version, as
-- shipped when the ledger booted with it. A delivery refers to its version instead of
-- copying the text into every row (a row per event per sector adds up fast).
CREATE TABLE ledger_policies (
  policy_version integer     NOT NULL,
  recipient      text        NOT NULL,
  recipient_name text        NOT NULL,
  purpose        text        NOT NULL,
  legal_basis    text[]      NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (policy_version, recipient)
);

-- One row per delivery receipt: a recipient committed an event about a citizen. Partitioned
-- by the month it was applied (partitions are created by the ingest, dropped by retention).
-- The key makes a re-sent receipt a no-op: a receipt's applied_at is fixed at the source.
CREATE TABLE disclosures (
  personal_id    text        NOT NULL,
  recipient      text        NOT NULL,
  event_id       text        NOT NULL,
  event_type     text        NOT NULL,
  fields         text[]      NOT NULL,
  policy_version integer     NOT NULL,
  applied_at     timestamptz NOT NULL,
  PRIMARY KEY (recipient, event_id, applied_at)
) PARTITION BY RANGE (applied_at);

CREATE INDEX disclosures_by_citizen ON disclosures (personal_id, applied_at);

-- Every read of a citizen's disclosures (the reader comes from the API's auth once it exists).
CREATE TABLE disclosure_reads (
  id          bigserial   PRIMARY KEY,
  personal_id text        NOT NULL,
  reader      text        NOT NULL,
  role        text        NOT NULL,
  period_from timestamptz NOT NULL,
  period_to   timestamptz NOT NULL,
  read_at     timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE disclosure_reads;
DROP TABLE disclosures;
DROP TABLE ledger_policies;
