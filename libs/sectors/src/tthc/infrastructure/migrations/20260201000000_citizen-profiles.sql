-- Up Migration
-- Profiles used to pre-fill provincial administrative procedure (TTHC) applications.
CREATE TABLE citizen_profiles (
  personal_id          text PRIMARY KEY,
  full_name            text NOT NULL,
  date_of_birth        text NOT NULL,
  gender               text NOT NULL,
  permanent_residence  jsonb,
  temporary_residence  jsonb,
  marital_status       text,
  spouse_id            text,
  id_card_number       text,
  electronic_id_level  integer,
  status               text NOT NULL,
  date_of_death        text,
  successor_id         text
);

-- The portal's own applications (not from the bus); the bus only flags them.
CREATE TABLE tthc_applications (
  application_id  text PRIMARY KEY,
  personal_id     text NOT NULL,
  procedure_code  text NOT NULL,
  status          text NOT NULL DEFAULT 'PENDING',
  flag            text
);
CREATE INDEX tthc_applications_person ON tthc_applications (personal_id);

-- Down Migration
DROP TABLE tthc_applications;
DROP TABLE citizen_profiles;
