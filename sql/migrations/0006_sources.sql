-- Sources de données: connector configurations, their sync runs (with
-- rejected rows and the « mode automatique » periods), and the canonical
-- tables the connectors fill (trips, earnings), plus the remembered
-- choices of the « non rapprochés » screen.
--
-- Every table is tenant-owned: tenant_id leads its keys and row-level
-- security applies.  Imported rows keep their source and source key and
-- are upserted on them, so a re-import changes nothing.

CREATE TYPE source_schedule AS ENUM ('manuel', 'horaire', 'quotidien', 'hebdomadaire');
CREATE TYPE sync_trigger AS ENUM ('manual', 'schedule', 'api');
CREATE TYPE sync_status AS ENUM ('en_cours', 'reussi', 'partiel', 'echec', 'annule');
-- configuration: the user must change something (file, mapping, settings);
-- transient: expected to pass on a later try (database, runner stopped).
CREATE TYPE sync_failure AS ENUM ('configuration', 'transient');
CREATE TYPE trip_platform AS ENUM ('uber', 'bolt', 'heetch', 'autre');
CREATE TYPE earnings_period AS ENUM ('jour', 'semaine', 'mois');

-- A configured connector.  type names a row of the C table of connector
-- types (fcgi/connectors/connector.c), which validates config.  Secret
-- fields never sit in config: they are sealed together (libsodium
-- secretbox, key file outside the database) into secrets.
CREATE TABLE sources (
    tenant_id           uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id                  uuid NOT NULL DEFAULT gen_random_uuid(),
    type                text NOT NULL CHECK (type ~ '^[a-z][a-z0-9_]{1,39}$'),
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    config              jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    secrets             text CHECK (length(secrets) <= 8192),
    schedule            source_schedule NOT NULL DEFAULT 'manuel',
    schedule_time       time,
    schedule_weekday    smallint CHECK (schedule_weekday BETWEEN 1 AND 7),
    auto_mode           boolean NOT NULL DEFAULT false,
    next_sync_at        timestamptz,
    paused_at           timestamptz,
    paused_by           uuid REFERENCES users ON DELETE SET NULL,
    cursor              text CHECK (length(cursor) <= 200),
    last_check_at       timestamptz,
    last_check_ok       boolean,
    last_check_message  text CHECK (length(last_check_message) <= 1000),
    created_by          uuid REFERENCES users ON DELETE SET NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    archived_at         timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT sources__id__key UNIQUE (id),
    CONSTRAINT sources__name__key UNIQUE (tenant_id, name),
    CHECK (schedule NOT IN ('quotidien', 'hebdomadaire') OR schedule_time IS NOT NULL),
    CHECK (schedule <> 'hebdomadaire' OR schedule_weekday IS NOT NULL)
);
CREATE TRIGGER sources_touch BEFORE UPDATE ON sources
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- One run of a source: what started it, how it ended, what it counted.
-- Counts and the final status are written in the same transaction as the
-- rows they describe; progress (bytes_read, rows_extracted while running)
-- is written by the runner's second connection so that screens see it.
CREATE TABLE sync_runs (
    tenant_id            uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id                   uuid NOT NULL DEFAULT gen_random_uuid(),
    source_id            uuid NOT NULL,
    trigger              sync_trigger NOT NULL,
    status               sync_status NOT NULL DEFAULT 'en_cours',
    job_id               bigint,
    requested_by         uuid REFERENCES users ON DELETE SET NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    started_at           timestamptz,
    ended_at             timestamptz,
    heartbeat_at         timestamptz,
    attempts             integer NOT NULL DEFAULT 0,
    file_name            text CHECK (length(file_name) <= 255),
    file_key             text CHECK (file_key ~ '^[A-Za-z0-9_-]{20,64}$'),
    file_bytes           bigint CHECK (file_bytes >= 0),
    bytes_read           bigint NOT NULL DEFAULT 0,
    rows_extracted       bigint NOT NULL DEFAULT 0,
    rows_inserted        bigint NOT NULL DEFAULT 0,
    rows_updated         bigint NOT NULL DEFAULT 0,
    rows_unchanged       bigint NOT NULL DEFAULT 0,
    rows_rejected        bigint NOT NULL DEFAULT 0,
    cursor_before        text,
    cursor_after         text,
    dialect              jsonb,
    file_totals          jsonb,
    loaded_totals        jsonb,
    failure              sync_failure,
    message              text CHECK (length(message) <= 2000),
    detail               text CHECK (length(detail) <= 8000),
    cancel_requested_at  timestamptz,
    cancelled_by         uuid REFERENCES users ON DELETE SET NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT sync_runs__id__key UNIQUE (id),
    FOREIGN KEY (tenant_id, source_id) REFERENCES sources (tenant_id, id) ON DELETE CASCADE,
    CHECK (ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at),
    CHECK ((status = 'en_cours') = (ended_at IS NULL))
);
CREATE INDEX sync_runs__history__idx ON sync_runs (tenant_id, source_id, created_at DESC);
CREATE INDEX sync_runs__job__idx ON sync_runs (job_id);
-- One run per source at a time: a second « Synchroniser maintenant »
-- while one runs is refused by this index (409 naming source_id).
CREATE UNIQUE INDEX sync_runs__source_id__running ON sync_runs (tenant_id, source_id)
    WHERE status = 'en_cours';

-- Rows of a run that were not loaded, with where and why.  Only the first
-- rows are kept (the run counts them all), so a file of bad lines cannot
-- fill the database.
CREATE TABLE sync_rejects (
    tenant_id  uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    run_id      uuid NOT NULL,
    line        bigint NOT NULL CHECK (line >= 0),
    column_name text NOT NULL DEFAULT '' CHECK (length(column_name) <= 200),
    value       text NOT NULL DEFAULT '' CHECK (length(value) <= 500),
    reason      text NOT NULL CHECK (length(reason) <= 500),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, run_id) REFERENCES sync_runs (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sync_rejects__run__idx ON sync_rejects (tenant_id, run_id, line);

-- Each period the « mode automatique » of a source was on.
CREATE TABLE source_mode_periods (
    tenant_id   uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    source_id   uuid NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz CHECK (ended_at IS NULL OR ended_at >= started_at),
    started_by  uuid REFERENCES users ON DELETE SET NULL,
    ended_by    uuid REFERENCES users ON DELETE SET NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, source_id) REFERENCES sources (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX source_mode_periods__source_id__open ON source_mode_periods (tenant_id, source_id)
    WHERE ended_at IS NULL;
CREATE INDEX source_mode_periods__history__idx ON source_mode_periods (tenant_id, source_id, started_at DESC);

-- A ride as a platform reported it.  Money in cents; currency per row.
-- net_earnings_cents is what the driver earned (Uber: "Paid to you : Your
-- earnings"); payout_cents is Uber's "Paid to you", the bank settlement,
-- kept apart because it goes negative on cash-heavy days.
--
-- Built for bulk upserts (a million rows per file): the row is known by
-- its natural key (source, source_key), compared byte-wise (COLLATE "C"),
-- and carries no per-row foreign-key check, which costs more than the
-- insert itself.  Integrity is kept otherwise: driver_id is only ever set
-- from the drivers table in the same transaction, and the triggers below
-- do what ON DELETE would (tenant gone: rows gone; driver gone: NULL).
-- source_id and run_id say which source and run last wrote the row.
CREATE TABLE trips (
    tenant_id             uuid NOT NULL,
    source                text COLLATE "C" NOT NULL CHECK (length(source) BETWEEN 1 AND 80),
    source_key            text COLLATE "C" NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    platform              trip_platform NOT NULL,
    source_id             uuid,
    run_id                uuid,
    driver_id             uuid,
    driver_ref            text CHECK (length(driver_ref) <= 200),
    driver_name           text CHECK (length(driver_name) <= 200),
    vehicle_plate         text CHECK (length(vehicle_plate) <= 20),
    status                text NOT NULL DEFAULT 'autre'
                          CHECK (status IN ('terminee', 'annulee', 'ajustement', 'autre')),
    platform_status       text CHECK (length(platform_status) <= 200),
    trip_ref              text CHECK (length(trip_ref) <= 200),
    started_at            timestamptz,
    ended_at              timestamptz,
    distance_m            integer CHECK (distance_m >= 0),
    payment_method        text CHECK (payment_method IN ('especes', 'carte', 'autre')),
    gross_fare_cents      bigint,
    booking_fee_cents     bigint,
    tolls_cents           bigint,
    tips_cents            bigint,
    commission_cents      bigint,
    net_earnings_cents    bigint,
    cash_collected_cents  bigint,
    payout_cents          bigint,
    currency              char(3) NOT NULL DEFAULT 'EUR',
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT trips__source_key__key PRIMARY KEY (tenant_id, source, source_key)
);
CREATE INDEX trips__period__idx ON trips (tenant_id, started_at DESC);
CREATE INDEX trips__driver__idx ON trips (tenant_id, driver_id, started_at DESC);

-- What a platform reported for a driver over a day, week or month; built
-- like trips.
CREATE TABLE earnings (
    tenant_id                 uuid NOT NULL,
    source                    text COLLATE "C" NOT NULL CHECK (length(source) BETWEEN 1 AND 80),
    source_key                text COLLATE "C" NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    platform                  trip_platform NOT NULL,
    source_id                 uuid,
    run_id                    uuid,
    driver_id                 uuid,
    driver_ref                text CHECK (length(driver_ref) <= 200),
    driver_name               text CHECK (length(driver_name) <= 200),
    period                    earnings_period NOT NULL,
    period_start              date NOT NULL,
    period_end                date NOT NULL,
    gross_cents               bigint,
    net_cents                 bigint,
    cash_collected_cents      bigint,
    card_gross_cents          bigint,
    commission_cash_cents     bigint,
    commission_card_cents     bigint,
    cancellation_fees_cents   bigint,
    bonuses_cents             bigint,
    tips_cents                bigint,
    rides_done                integer CHECK (rides_done >= 0),
    rides_cancelled           integer CHECK (rides_cancelled >= 0),
    currency                  char(3) NOT NULL DEFAULT 'EUR',
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT earnings__source_key__key PRIMARY KEY (tenant_id, source, source_key),
    CHECK (period_end >= period_start)
);
CREATE INDEX earnings__period__idx ON earnings (tenant_id, period_start DESC);
CREATE INDEX earnings__driver__idx ON earnings (tenant_id, driver_id, period_start DESC);

-- What ON DELETE would do for trips and earnings, once per statement.
CREATE FUNCTION canonical_tenant_gone() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    DELETE FROM trips WHERE tenant_id IN (SELECT id FROM gone);
    DELETE FROM earnings WHERE tenant_id IN (SELECT id FROM gone);
    RETURN NULL;
END
$$;
CREATE TRIGGER tenants_canonical_gone AFTER DELETE ON tenants
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT
    EXECUTE FUNCTION canonical_tenant_gone();

CREATE FUNCTION canonical_driver_gone() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE trips t SET driver_id = NULL FROM gone g
     WHERE t.tenant_id = g.tenant_id AND t.driver_id = g.id;
    UPDATE earnings e SET driver_id = NULL FROM gone g
     WHERE e.tenant_id = g.tenant_id AND e.driver_id = g.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER drivers_canonical_gone AFTER DELETE ON drivers
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT
    EXECUTE FUNCTION canonical_driver_gone();

-- The driver a user picked for a platform identifier nobody recognised;
-- later imports use it before any automatic rule.
CREATE TABLE driver_matches (
    tenant_id   uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    platform    trip_platform NOT NULL,
    driver_ref  text NOT NULL CHECK (length(driver_ref) BETWEEN 1 AND 200),
    driver_id   uuid NOT NULL,
    created_by  uuid REFERENCES users ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, platform, driver_ref),
    FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id) ON DELETE CASCADE
);

-- When the next run of a schedule falls after p_after: the next hour, the
-- next p_time (Paris wall time, so 07:00 stays 07:00 across the clock
-- changes), or the next p_weekday (ISO, 1 = Monday) at p_time.  For a
-- file source it is when the next file is expected: past it, « en retard ».
CREATE FUNCTION source_next_sync(p_schedule source_schedule, p_time time,
                                 p_weekday smallint, p_after timestamptz)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT CASE p_schedule
        WHEN 'horaire' THEN date_trunc('hour', p_after) + interval '1 hour'
        WHEN 'quotidien' THEN (
            SELECT CASE WHEN l::date + p_time > l
                        THEN (l::date + p_time) AT TIME ZONE 'Europe/Paris'
                        ELSE (l::date + 1 + p_time) AT TIME ZONE 'Europe/Paris' END
              FROM (SELECT p_after AT TIME ZONE 'Europe/Paris' AS l) x)
        WHEN 'hebdomadaire' THEN (
            SELECT CASE WHEN c > l THEN c AT TIME ZONE 'Europe/Paris'
                        ELSE (c + interval '7 days') AT TIME ZONE 'Europe/Paris' END
              FROM (SELECT l, l::date + ((p_weekday - extract(isodow FROM l)::int + 7) % 7)
                           + p_time AS c
                      FROM (SELECT p_after AT TIME ZONE 'Europe/Paris' AS l) y) x)
    END
$$;

-- ---- The runner's side -------------------------------------------------

-- A sync job that stops for good without having recorded its own end (the
-- reaper found its heartbeat stale, or its retries ran out) leaves its run
-- "en_cours"; this ends the run with the reason.  SECURITY DEFINER: the
-- runner acts for every tenant, and the jobs table carries the tenant.
CREATE FUNCTION sync_runs_job_ended() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE sync_runs SET status = 'echec', ended_at = now(),
           failure = 'transient',
           message = CASE WHEN NEW.last_error LIKE 'heartbeat lost%'
               THEN 'Le traitement s''est arrêté en cours de route (serveur de tâches interrompu). '
                    'Rien n''a été chargé : relancez la synchronisation.'
               ELSE 'La synchronisation a échoué après plusieurs essais. '
                    'Rien n''a été chargé : relancez-la plus tard.' END,
           detail = left(coalesce(NEW.last_error, ''), 8000)
     WHERE job_id = NEW.id AND tenant_id = NEW.tenant_id AND status = 'en_cours';
    RETURN NEW;
END
$$;
CREATE TRIGGER jobs_sync_run_ended AFTER UPDATE OF status ON jobs
    FOR EACH ROW WHEN (NEW.kind = 'source_sync' AND OLD.status = 'running'
                       AND NEW.status IN ('failed', 'dead'))
    EXECUTE FUNCTION sync_runs_job_ended();

REVOKE ALL ON FUNCTION sync_runs_job_ended, canonical_tenant_gone,
    canonical_driver_gone FROM PUBLIC;

-- ---- Row-level security -------------------------------------------------
--
-- Sources and runs are the office's business: a driver sees none.  A
-- driver sees only their own trips and earnings.

ALTER TABLE sources ENABLE ROW LEVEL SECURITY;
CREATE POLICY sources_tenant ON sources
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE sync_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY sync_runs_tenant ON sync_runs
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE sync_rejects ENABLE ROW LEVEL SECURITY;
CREATE POLICY sync_rejects_tenant ON sync_rejects
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE source_mode_periods ENABLE ROW LEVEL SECURITY;
CREATE POLICY source_mode_periods_tenant ON source_mode_periods
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE driver_matches ENABLE ROW LEVEL SECURITY;
CREATE POLICY driver_matches_tenant ON driver_matches
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE trips ENABLE ROW LEVEL SECURITY;
CREATE POLICY trips_tenant ON trips
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR driver_id = (SELECT app_driver_id())))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE earnings ENABLE ROW LEVEL SECURITY;
CREATE POLICY earnings_tenant ON earnings
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR driver_id = (SELECT app_driver_id())))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));
