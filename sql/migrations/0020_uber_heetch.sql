-- Uber (uber_api) and Heetch (heetch_portal) live sources.
--
--   source_gaps      the days a source could not read and will never be
--                    able to read again by its API (Uber's payments reach
--                    back 24 hours): shown on the source's page with the
--                    offer to fill them from the Uber payments CSV; a day
--                    is filled when a run of a file source of the same
--                    platform loads trips of that day;
--   source_sessions  a portal session (Heetch): where the login stands
--                    (waiting for the SMS code, connected, expired), how
--                    it was obtained (the login, or a cookie pasted from a
--                    browser), and sealed like a source's secrets the
--                    cookies and the pending login's token.

CREATE TABLE source_gaps (
    tenant_id    uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    source_id    uuid NOT NULL,
    day          date NOT NULL,          -- a Paris day
    found_at     timestamptz NOT NULL DEFAULT now(),
    run_id       uuid,
    filled_at    timestamptz,
    filled_by    uuid,                   -- the run (of any source) that filled it
    PRIMARY KEY (tenant_id, source_id, day),
    FOREIGN KEY (tenant_id, source_id) REFERENCES sources (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX source_gaps__open__idx ON source_gaps (tenant_id, source_id, day)
    WHERE filled_at IS NULL;

CREATE TYPE portal_session_state AS ENUM
    ('deconnecte', 'connexion', 'code_sms', 'connecte', 'expiree');
CREATE TYPE portal_session_path AS ENUM ('connexion', 'cookie');

CREATE TABLE source_sessions (
    tenant_id        uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    source_id        uuid NOT NULL,
    state            portal_session_state NOT NULL DEFAULT 'deconnecte',
    path             portal_session_path,
    -- Sealed JSON {"cookies": {...}, "login_token": "…", "device_id": "…"}.
    sealed           text CHECK (length(sealed) <= 65536),
    code_expires_at  timestamptz,
    code_tries       integer NOT NULL DEFAULT 0 CHECK (code_tries >= 0),
    message          text CHECK (length(message) <= 1000),
    job_id           bigint,
    connected_at     timestamptz,
    expired_at       timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, source_id),
    FOREIGN KEY (tenant_id, source_id) REFERENCES sources (tenant_id, id) ON DELETE CASCADE,
    CHECK (state <> 'code_sms' OR code_expires_at IS NOT NULL),
    CHECK (state <> 'connecte' OR path IS NOT NULL)
);
CREATE TRIGGER source_sessions_touch BEFORE UPDATE ON source_sessions
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- The office's business, like sources: a driver sees none of it.
ALTER TABLE source_gaps ENABLE ROW LEVEL SECURITY;
CREATE POLICY source_gaps_tenant ON source_gaps
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE source_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY source_sessions_tenant ON source_sessions
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

-- What a live run reports in sync_runs.notes becomes state here, in the
-- transaction that writes the notes (a run's checkpoint or its end):
--   "gaps": ["<from ms>/<to ms>", …]  time the API could not read any
--           more: every Paris day it touches is a gap of the source;
--   "session": ["expired"]            the portal session expired: the
--           session reads 'expiree' (« reconnexion nécessaire »), once,
--           with an activity and a message to the owners.
-- Malformed values are ignored rather than failing the run.
CREATE FUNCTION sync_runs_live_notes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_name text;
BEGIN
    IF NEW.notes ? 'gaps' THEN
        INSERT INTO source_gaps (tenant_id, source_id, day, run_id)
        SELECT NEW.tenant_id, NEW.source_id, d::date, NEW.id
          FROM jsonb_array_elements_text(NEW.notes->'gaps') g,
               LATERAL (SELECT split_part(g, '/', 1)::bigint AS lo,
                               split_part(g, '/', 2)::bigint AS hi
                         WHERE g ~ '^[0-9]{1,14}/[0-9]{1,14}$') w,
               LATERAL generate_series(
                   (to_timestamp(w.lo / 1000.0) AT TIME ZONE 'Europe/Paris')::date,
                   (to_timestamp((w.hi - 1) / 1000.0) AT TIME ZONE 'Europe/Paris')::date,
                   interval '1 day') d
         WHERE w.hi > w.lo AND w.hi - w.lo <= 400::bigint * 86400000
        ON CONFLICT DO NOTHING;
    END IF;
    IF NEW.notes->'session' ? 'expired' THEN
        UPDATE source_sessions SET state = 'expiree', expired_at = now(),
               message = 'La session Heetch a expiré : reconnexion nécessaire.'
         WHERE tenant_id = NEW.tenant_id AND source_id = NEW.source_id
           AND state = 'connecte';
        IF FOUND THEN
            SELECT name INTO v_name FROM sources
             WHERE tenant_id = NEW.tenant_id AND id = NEW.source_id;
            INSERT INTO activities (tenant_id, type, title, subject_type, subject_id)
            VALUES (NEW.tenant_id, 'source.session_expired',
                    'Reconnexion nécessaire : la session Heetch de « ' || v_name
                    || ' » a expiré', 'source', NEW.source_id::text);
            INSERT INTO email_outbox (tenant_id, recipient, subject, body, kind)
            SELECT NEW.tenant_id, u.email,
                   'Heetch : reconnexion nécessaire pour « ' || v_name || ' »',
                   'Bonjour,' || E'\n\n' || 'La session Heetch de la source « '
                   || v_name || ' » a expiré : ses revenus ne sont plus '
                   || 'synchronisés. Ouvrez la source dans FleetCore (Sources de '
                   || 'données), cliquez « Se connecter » et saisissez le code '
                   || 'reçu par SMS, ou collez un nouveau cookie de session.'
                   || E'\n\n' || 'Rien n''a été chargé à moitié : la prochaine '
                   || 'synchronisation reprendra à la première semaine manquante.',
                   'source_session_expired'
              FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.tenant_id = NEW.tenant_id AND m.role = 'owner'
               AND u.disabled_at IS NULL;
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER sync_runs_live_notes AFTER UPDATE ON sync_runs FOR EACH ROW
    WHEN (NEW.notes IS NOT NULL AND NEW.notes IS DISTINCT FROM OLD.notes)
    EXECUTE FUNCTION sync_runs_live_notes();

-- A run of an Uber file source that ends having loaded trips fills the
-- gaps of the tenant's Uber API sources on the Paris days those trips
-- fall on (one index range of trips per open gap day, not a scan).
CREATE FUNCTION source_gaps_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE source_gaps g SET filled_at = now(), filled_by = NEW.id
      FROM sources s
     WHERE s.tenant_id = NEW.tenant_id AND s.id = NEW.source_id
       AND s.type = 'uber_csv'
       AND g.tenant_id = NEW.tenant_id AND g.filled_at IS NULL
       AND g.source_id IN (SELECT a.id FROM sources a
                            WHERE a.tenant_id = NEW.tenant_id AND a.type = 'uber_api')
       AND EXISTS (SELECT 1 FROM trips t
                    WHERE t.tenant_id = NEW.tenant_id AND t.platform = 'uber'
                      AND t.started_at >= (g.day::timestamp AT TIME ZONE 'Europe/Paris')
                      AND t.started_at < ((g.day + 1)::timestamp AT TIME ZONE 'Europe/Paris')
                      AND t.run_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER sync_runs_gaps_fill AFTER UPDATE OF status ON sync_runs FOR EACH ROW
    WHEN (OLD.status = 'en_cours' AND NEW.status IN ('reussi', 'partiel'))
    EXECUTE FUNCTION source_gaps_fill();
