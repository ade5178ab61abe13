-- Up Migration

-- One row per distinct schema (by fingerprint of its identity form): ids are global.
CREATE TABLE registry_schemas (
  id integer PRIMARY KEY,
  fingerprint text NOT NULL UNIQUE,
  identity_form text NOT NULL,
  schema_type text NOT NULL DEFAULT 'AVRO',
  schema_text text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Sequences never hand out a value twice, even across rolled-back transactions:
-- ids only grow and are never reused (gaps are possible, as with Confluent's).
CREATE SEQUENCE registry_schema_ids AS integer START WITH 1 NO CYCLE;

CREATE TABLE registry_subject_versions (
  subject text NOT NULL CHECK (subject <> ''),
  version integer NOT NULL CHECK (version > 0),
  schema_id integer NOT NULL REFERENCES registry_schemas (id),
  deleted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject, version)
);

-- Backstop for the subject lock: a schema is at most one live version of a subject.
CREATE UNIQUE INDEX registry_subject_versions_live_schema
  ON registry_subject_versions (subject, schema_id) WHERE NOT deleted;
CREATE INDEX registry_subject_versions_schema ON registry_subject_versions (schema_id);

-- Compatibility levels; the empty subject holds the global level.
CREATE TABLE registry_compatibility (
  subject text PRIMARY KEY,
  level text NOT NULL CHECK (level IN ('NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD',
    'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE')),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE registry_compatibility;
DROP TABLE registry_subject_versions;
DROP SEQUENCE registry_schema_ids;
DROP TABLE registry_schemas;
