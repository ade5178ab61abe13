-- Up Migration
-- Who did what with whose data (Law 91/2025/QH15): one row per state-changing request,
-- per read of a citizen's record, per reveal and replay. Append-only: the trigger refuses
-- UPDATE and DELETE from any connection, the service's own included (TRUNCATE too).
CREATE TABLE audit_trail (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  request_id text,
  subject text NOT NULL,
  client_id text NOT NULL,
  username text,
  roles text[] NOT NULL,
  agency text,
  action text NOT NULL,
  citizen_id text,
  target text,
  outcome text NOT NULL,
  status integer NOT NULL
);

CREATE INDEX audit_trail_by_citizen ON audit_trail (citizen_id, at DESC) WHERE citizen_id IS NOT NULL;
CREATE INDEX audit_trail_by_subject ON audit_trail (subject, at DESC);

CREATE FUNCTION audit_trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_trail is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_trail_no_update_delete
  BEFORE UPDATE OR DELETE ON audit_trail
  FOR EACH ROW EXECUTE FUNCTION audit_trail_append_only();

CREATE TRIGGER audit_trail_no_truncate
  BEFORE TRUNCATE ON audit_trail
  FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_append_only();

-- Down Migration
DROP TABLE audit_trail;
DROP FUNCTION audit_trail_append_only();
