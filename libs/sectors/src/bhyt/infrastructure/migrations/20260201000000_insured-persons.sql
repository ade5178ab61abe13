-- Up Migration
-- The health-insurance register. No marital status or spouse: withheld from bhyt.
CREATE TABLE insured_persons (
  personal_id          text PRIMARY KEY,
  full_name            text NOT NULL,
  date_of_birth        text NOT NULL,
  gender               text NOT NULL,
  registered_province  text,
  registered_commune   text,
  temporary_province   text,
  status               text NOT NULL,
  date_of_death        text,
  card_group           text,
  card_valid_from      text,
  card_valid_until     text,
  card_status          text NOT NULL DEFAULT 'NONE',
  id_card_number       text,
  successor_id         text,
  previous_ids         text[] NOT NULL DEFAULT '{}'
);

-- Every change the register applied, re-keyed with the person on an ID reissue.
CREATE TABLE insured_person_history (
  id           bigserial PRIMARY KEY,
  personal_id  text NOT NULL,
  event_id     text NOT NULL,
  event_type   text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  card_status  text NOT NULL
);
CREATE INDEX insured_person_history_person ON insured_person_history (personal_id);

-- Down Migration
DROP TABLE insured_person_history;
DROP TABLE insured_persons;
