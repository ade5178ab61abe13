-- Up Migration
-- A merge or reissue repoints the children's fatherId/motherId: find them without a scan.
CREATE INDEX citizens_father_id ON citizens ((state->>'fatherId')) WHERE state->>'fatherId' IS NOT NULL;
CREATE INDEX citizens_mother_id ON citizens ((state->>'motherId')) WHERE state->>'motherId' IS NOT NULL;

-- Down Migration
DROP INDEX citizens_mother_id;
DROP INDEX citizens_father_id;
