-- Live sources: connectors that read a platform's API from the job runner
-- (fcgi/connectors/live.h) rather than a file.
--
--   source_streams        each stream's cursor, committed in the same
--                         transaction as the rows it covers;
--   platform_drivers      the drivers a platform lists (matched to ours as
--                         trips are; the others are offered in « non
--                         rapprochés »);
--   platform_vehicles     the vehicles it lists, matched to ours by plate;
--   driver_states         its state changes per driver (Bolt state logs);
--   driver_activity_days  online and busy time per driver and Paris day,
--                         rebuilt from driver_states for the days a write
--                         touched, in the same transaction.
-- A run of a live source commits window by window: sync_runs.notes keeps
-- what a run reports beside its counts (unknown plates), and a run that
-- stops midway says what it kept.

CREATE TABLE source_streams (
    tenant_id   uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    source_id   uuid NOT NULL,
    stream      text NOT NULL CHECK (stream ~ '^[a-z][a-z0-9_]{0,39}$'),
    cursor      text NOT NULL CHECK (length(cursor) BETWEEN 1 AND 200),
    run_id      uuid,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, source_id, stream),
    FOREIGN KEY (tenant_id, source_id) REFERENCES sources (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE sync_runs ADD COLUMN notes jsonb
    CHECK (notes IS NULL OR jsonb_typeof(notes) = 'object');

-- Keyed like trips: (source, source_key), source being the key space
-- ("bolt_driver"), so that two sources of one account are one driver.
CREATE TABLE platform_drivers (
    tenant_id       uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    source          text COLLATE "C" NOT NULL CHECK (length(source) BETWEEN 1 AND 80),
    source_key      text COLLATE "C" NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    platform        trip_platform NOT NULL,
    source_id       uuid,
    run_id          uuid,
    driver_id       uuid,
    driver_ref      text NOT NULL CHECK (length(driver_ref) BETWEEN 1 AND 200),
    driver_name     text CHECK (length(driver_name) <= 200),
    driver_email    text CHECK (length(driver_email) <= 200),
    driver_phone    text CHECK (length(driver_phone) <= 40),
    state           text CHECK (length(state) <= 200),
    vehicle_plate   text CHECK (length(vehicle_plate) <= 20),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT platform_drivers__source_key__key PRIMARY KEY (tenant_id, source, source_key)
);
CREATE INDEX platform_drivers__unmatched__idx ON platform_drivers (tenant_id, platform, driver_ref)
    WHERE driver_id IS NULL;

CREATE TABLE platform_vehicles (
    tenant_id       uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    source          text COLLATE "C" NOT NULL CHECK (length(source) BETWEEN 1 AND 80),
    source_key      text COLLATE "C" NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    platform        trip_platform NOT NULL,
    source_id       uuid,
    run_id          uuid,
    vehicle_id      uuid,
    plate           text CHECK (length(plate) <= 20),
    model           text CHECK (length(model) <= 200),
    year            integer CHECK (year BETWEEN 1900 AND 2200),
    vin             text CHECK (length(vin) <= 40),
    state           text CHECK (length(state) <= 200),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT platform_vehicles__source_key__key PRIMARY KEY (tenant_id, source, source_key)
);

-- One state change: source_key is the driver and the instant.
CREATE TABLE driver_states (
    tenant_id       uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    source          text COLLATE "C" NOT NULL CHECK (length(source) BETWEEN 1 AND 80),
    source_key      text COLLATE "C" NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    platform        trip_platform NOT NULL,
    source_id       uuid,
    run_id          uuid,
    driver_id       uuid,
    driver_ref      text NOT NULL CHECK (length(driver_ref) BETWEEN 1 AND 200),
    vehicle_ref     text CHECK (length(vehicle_ref) <= 200),
    state           text NOT NULL CHECK (length(state) BETWEEN 1 AND 40),
    at              timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT driver_states__source_key__key PRIMARY KEY (tenant_id, source, source_key)
);
CREATE INDEX driver_states__driver__idx ON driver_states (tenant_id, platform, driver_ref, at);
CREATE INDEX driver_states__recent__idx ON driver_states (tenant_id, at DESC);

CREATE TABLE driver_activity_days (
    tenant_id       uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    platform        trip_platform NOT NULL,
    driver_ref      text NOT NULL CHECK (length(driver_ref) BETWEEN 1 AND 200),
    day             date NOT NULL,
    driver_id       uuid,
    online_seconds  integer NOT NULL CHECK (online_seconds BETWEEN 0 AND 86400),
    busy_seconds    integer NOT NULL CHECK (busy_seconds BETWEEN 0 AND 86400),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, platform, driver_ref, day),
    CHECK (busy_seconds <= online_seconds)
);
CREATE INDEX driver_activity_days__day__idx ON driver_activity_days (tenant_id, day DESC);

-- Online and busy time of these drivers over these Paris days, from their
-- state changes: a state lasts until the driver's next change, and at
-- most 12 hours (a log that stops is not a driver online for ever), and
-- never past now.  Online is every state but 'inactive'; busy is 'busy'
-- and 'has_order' (Bolt's words; other platforms map theirs to these).
-- Runs with the caller's rights: row-level security applies.
CREATE FUNCTION driver_activity_rebuild(p_platform trip_platform, p_refs text[],
                                        p_from date, p_to date)
RETURNS void LANGUAGE sql AS $$
    DELETE FROM driver_activity_days
     WHERE tenant_id = app_tenant() AND platform = p_platform
       AND driver_ref = ANY (p_refs) AND day BETWEEN p_from AND p_to;
    WITH s AS (
        SELECT driver_ref, driver_id, state, at,
               least(coalesce(lead(at) OVER w, now()), at + interval '12 hours', now()) AS until
          FROM driver_states
         WHERE tenant_id = app_tenant() AND platform = p_platform
           AND driver_ref = ANY (p_refs)
           AND at >= (p_from::timestamp AT TIME ZONE 'Europe/Paris') - interval '12 hours'
           AND at < ((p_to + 1)::timestamp AT TIME ZONE 'Europe/Paris')
        WINDOW w AS (PARTITION BY driver_ref ORDER BY at)),
    pieces AS (
        SELECT s.driver_ref, s.driver_id, s.state, d.day::date AS day,
               extract(epoch FROM least(s.until, (d.day::date + 1)::timestamp AT TIME ZONE 'Europe/Paris')
                       - greatest(s.at, d.day::date::timestamp AT TIME ZONE 'Europe/Paris')) AS secs
          FROM s CROSS JOIN LATERAL generate_series(
                   (s.at AT TIME ZONE 'Europe/Paris')::date::timestamp,
                   (s.until AT TIME ZONE 'Europe/Paris')::date::timestamp,
                   interval '1 day') AS d(day)
         WHERE s.until > s.at)
    INSERT INTO driver_activity_days (tenant_id, platform, driver_ref, day,
                                      driver_id, online_seconds, busy_seconds)
    SELECT app_tenant(), p_platform, driver_ref, day, max(driver_id::text)::uuid,
           least(86400, round(sum(secs) FILTER (WHERE state <> 'inactive')))::int,
           least(86400, round(coalesce(sum(secs) FILTER (WHERE state IN ('busy', 'has_order')), 0)))::int
      FROM pieces
     WHERE day BETWEEN p_from AND p_to AND secs > 0
     GROUP BY driver_ref, day
    HAVING sum(secs) FILTER (WHERE state <> 'inactive') > 0;
$$;

-- Scheduled runs of live sources too: they need no address, their type
-- says they read an API (the C table of types is the authority, so the
-- runner passes the live types by name).
DROP FUNCTION sources_sync_due(integer);
CREATE FUNCTION sources_sync_due(p_limit integer, p_live text[])
RETURNS TABLE (tenant_id uuid, source_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT s.tenant_id, s.id FROM sources s
     WHERE s.auto_mode AND s.schedule <> 'manuel'
       AND s.next_sync_at <= now()
       AND s.paused_at IS NULL AND s.archived_at IS NULL
       AND (coalesce(s.config->>'url', '') <> '' OR s.type = ANY (p_live))
       AND NOT EXISTS (SELECT 1 FROM sync_runs r
                        WHERE r.tenant_id = s.tenant_id AND r.source_id = s.id
                          AND r.status = 'en_cours')
     ORDER BY s.next_sync_at, s.id
     LIMIT p_limit
$$;
REVOKE ALL ON FUNCTION sources_sync_due(integer, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sources_sync_due(integer, text[]) TO fleetcore_app;

-- A live run that stops midway (runner killed, retries spent) has kept
-- the windows it committed, with their cursors: the next run goes on
-- from there.  Say so rather than « rien n'a été chargé ».
CREATE OR REPLACE FUNCTION sync_runs_job_ended() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE sync_runs SET status = 'echec', ended_at = now(),
           failure = 'transient',
           message = CASE
               WHEN rows_inserted + rows_updated + rows_unchanged > 0 THEN
                    'Le traitement s''est arrêté en cours de route. Les '
                    || (rows_inserted + rows_updated + rows_unchanged)
                    || ' ligne(s) des périodes terminées sont gardées ; la prochaine '
                       'synchronisation reprend là où celle-ci s''est arrêtée.'
               WHEN NEW.last_error LIKE 'heartbeat lost%'
               THEN 'Le traitement s''est arrêté en cours de route (serveur de tâches interrompu). '
                    'Rien n''a été chargé : relancez la synchronisation.'
               ELSE 'La synchronisation a échoué après plusieurs essais. '
                    'Rien n''a été chargé : relancez-la plus tard.' END,
           detail = left(coalesce(NEW.last_error, ''), 8000)
     WHERE job_id = NEW.id AND tenant_id = NEW.tenant_id AND status = 'en_cours';
    RETURN NEW;
END
$$;

-- ---- Row-level security -------------------------------------------------
-- The office's business, except a driver's own activity.

ALTER TABLE source_streams ENABLE ROW LEVEL SECURITY;
CREATE POLICY source_streams_tenant ON source_streams
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE platform_drivers ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_drivers_tenant ON platform_drivers
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE platform_vehicles ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_vehicles_tenant ON platform_vehicles
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE driver_states ENABLE ROW LEVEL SECURITY;
CREATE POLICY driver_states_tenant ON driver_states
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR driver_id = (SELECT app_driver_id())))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE driver_activity_days ENABLE ROW LEVEL SECURITY;
CREATE POLICY driver_activity_days_tenant ON driver_activity_days
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR driver_id = (SELECT app_driver_id())))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

-- Every field of Bolt's order_price has its cent column (the README's
-- mapping): the three trips had no column for.
ALTER TABLE trips ADD COLUMN cancellation_fee_cents bigint,
                  ADD COLUMN cash_discount_cents bigint,
                  ADD COLUMN in_app_discount_cents bigint;
