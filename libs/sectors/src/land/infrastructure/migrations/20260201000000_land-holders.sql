-- Up Migration
-- Land-use right holders. No parents, no temporary residence: withheld from land.
CREATE TABLE land_holders (
  personal_id     text PRIMARY KEY,
  full_name       text NOT NULL,
  date_of_birth   text NOT NULL,
  address_line    text,
  province_code   text,
  commune_code    text,
  id_card_number  text,
  marital_status  text,
  spouse_id       text,
  status          text NOT NULL,
  date_of_death   text,
  successor_id    text
);

-- Spouse co-ownership references (common property of spouses).
CREATE TABLE land_co_ownerships (
  id          bigserial PRIMARY KEY,
  holder_id   text NOT NULL,
  spouse_id   text NOT NULL,
  since       date NOT NULL,
  until       date
);
CREATE INDEX land_co_ownerships_holder ON land_co_ownerships (holder_id);

-- The land office's own parcels (not from the bus); the bus only changes their status.
CREATE TABLE land_holdings (
  parcel_id   text PRIMARY KEY,
  holder_id   text NOT NULL,
  status      text NOT NULL DEFAULT 'REGISTERED'
);
CREATE INDEX land_holdings_holder ON land_holdings (holder_id);

-- Down Migration
DROP TABLE land_holdings;
DROP TABLE land_co_ownerships;
DROP TABLE land_holders;
