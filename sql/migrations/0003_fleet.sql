-- Fleet: vehicles and their events, drivers, documents with expiry, and
-- vehicle ↔ driver assignments.  Every table is tenant-owned: tenant_id
-- leads its keys, row-level security applies, and references stay inside
-- the tenant through composite foreign keys (tenant_id, id).

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TYPE vehicle_energy AS ENUM
    ('essence', 'diesel', 'hybride', 'hybride_rechargeable', 'electrique', 'gpl');
CREATE TYPE vehicle_category AS ENUM ('berline', 'van', 'green', 'luxe', 'autre');
CREATE TYPE vehicle_status AS ENUM ('actif', 'maintenance', 'hors_service', 'archive');
CREATE TYPE vehicle_acquisition AS ENUM ('propriete', 'leasing', 'location');

CREATE TABLE vehicles (
    tenant_id                 uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id                        uuid NOT NULL DEFAULT gen_random_uuid(),
    plate                     text NOT NULL CHECK (length(plate) BETWEEN 2 AND 16),
    country                   char(2) NOT NULL DEFAULT 'FR',
    vin                       text CHECK (vin ~ '^[A-HJ-NPR-Z0-9]{17}$'),
    make                      text NOT NULL CHECK (length(make) BETWEEN 1 AND 60),
    model                     text NOT NULL CHECK (length(model) BETWEEN 1 AND 60),
    year                      integer CHECK (year BETWEEN 1950 AND 2100),
    color                     text CHECK (length(color) <= 40),
    seats                     integer CHECK (seats BETWEEN 1 AND 9),
    energy                    vehicle_energy NOT NULL,
    category                  vehicle_category NOT NULL DEFAULT 'berline',
    status                    vehicle_status NOT NULL DEFAULT 'actif',
    odometer_km               integer NOT NULL DEFAULT 0 CHECK (odometer_km >= 0),
    acquisition               vehicle_acquisition NOT NULL DEFAULT 'propriete',
    lease_end_date            date,
    monthly_cost_cents        bigint CHECK (monthly_cost_cents >= 0),
    currency                  char(3) NOT NULL DEFAULT 'EUR',
    insurer                   text CHECK (length(insurer) <= 100),
    policy_number             text CHECK (length(policy_number) <= 60),
    insurance_expiry          date,
    technical_inspection_due  date,
    vtc_registration_number   text CHECK (length(vtc_registration_number) <= 60),
    vtc_registration_expiry   date,
    notes                     text NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    archived_at               timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT vehicles__id__key UNIQUE (id),
    CONSTRAINT vehicles__plate__key UNIQUE (tenant_id, plate),
    CONSTRAINT vehicles__vin__key UNIQUE (tenant_id, vin)
);
CREATE INDEX vehicles__list__idx ON vehicles (tenant_id, status, plate);

-- The odometer only goes down through a correction event, which sets
-- app.odometer_correction for its own transaction.
CREATE FUNCTION vehicles_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.odometer_km < OLD.odometer_km
       AND coalesce(current_setting('app.odometer_correction', true), '') <> 'on' THEN
        RAISE EXCEPTION 'Le kilométrage ne peut pas diminuer : enregistrez une correction de kilométrage avec sa raison.'
            USING ERRCODE = '23514', CONSTRAINT = 'vehicles__odometer_km__decrease';
    END IF;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER vehicles_guard BEFORE UPDATE ON vehicles
    FOR EACH ROW EXECUTE FUNCTION vehicles_guard();

CREATE TYPE driver_status AS ENUM ('candidat', 'actif', 'suspendu', 'parti');
CREATE TYPE collaboration_kind AS ENUM ('salarie', 'location_auto_entrepreneur', 'commission');

CREATE TABLE drivers (
    tenant_id            uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id                   uuid NOT NULL DEFAULT gen_random_uuid(),
    first_name           text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name            text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    email                text CHECK (email = lower(email)),
    phone                text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    birth_date           date,
    address              text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
    status               driver_status NOT NULL DEFAULT 'candidat',
    vtc_card_number      text CHECK (length(vtc_card_number) <= 60),
    vtc_card_expiry      date,
    licence_number       text CHECK (length(licence_number) <= 60),
    licence_expiry       date,
    bolt_driver_uuid     text CHECK (length(bolt_driver_uuid) <= 100),
    uber_driver_uuid     text CHECK (length(uber_driver_uuid) <= 100),
    heetch_email         text CHECK (heetch_email = lower(heetch_email)),
    iban                 text CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$'),
    bic                  text CHECK (bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
    collaboration        collaboration_kind,
    weekly_rent_cents    bigint CHECK (weekly_rent_cents >= 0),
    commission_rate_bp   integer CHECK (commission_rate_bp BETWEEN 0 AND 10000),
    currency             char(3) NOT NULL DEFAULT 'EUR',
    start_date           date,
    end_date             date CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
    onboarding_step      integer NOT NULL DEFAULT 1 CHECK (onboarding_step BETWEEN 1 AND 4),
    user_id              uuid REFERENCES users ON DELETE SET NULL,
    notes                text NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    archived_at          timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT drivers__id__key UNIQUE (id),
    CONSTRAINT drivers__email__key UNIQUE (tenant_id, email),
    CONSTRAINT drivers__phone__key UNIQUE (tenant_id, phone),
    CONSTRAINT drivers__bolt_driver_uuid__key UNIQUE (tenant_id, bolt_driver_uuid),
    CONSTRAINT drivers__uber_driver_uuid__key UNIQUE (tenant_id, uber_driver_uuid),
    CONSTRAINT drivers__heetch_email__key UNIQUE (tenant_id, heetch_email),
    CONSTRAINT drivers__user_id__key UNIQUE (tenant_id, user_id)
);
CREATE INDEX drivers__list__idx ON drivers (tenant_id, status, last_name, first_name);

CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER drivers_touch BEFORE UPDATE ON drivers
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- A vehicle has at most one driver at a time: enforced by PostgreSQL.
CREATE TABLE assignments (
    tenant_id   uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    vehicle_id  uuid NOT NULL,
    driver_id   uuid NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz CHECK (ends_at IS NULL OR ends_at > starts_at),
    notes       text NOT NULL DEFAULT '' CHECK (length(notes) <= 1000),
    created_by  uuid REFERENCES users ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT assignments__id__key UNIQUE (id),
    FOREIGN KEY (tenant_id, vehicle_id) REFERENCES vehicles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT assignments__vehicle_id__overlap EXCLUDE USING gist (
        tenant_id WITH =, vehicle_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
);
CREATE INDEX assignments__driver__idx ON assignments (tenant_id, driver_id, starts_at DESC);

CREATE TYPE vehicle_event_kind AS ENUM
    ('entretien', 'sinistre', 'controle_technique', 'amende', 'carburant',
     'correction_odometre', 'autre');
CREATE TYPE event_severity AS ENUM ('faible', 'moyenne', 'elevee');

CREATE TABLE vehicle_events (
    tenant_id    uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    vehicle_id   uuid NOT NULL,
    kind         vehicle_event_kind NOT NULL,
    occurred_at  timestamptz NOT NULL,
    odometer_km  integer CHECK (odometer_km >= 0),
    cost_cents   bigint NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),
    currency     char(3) NOT NULL DEFAULT 'EUR',
    severity     event_severity,
    driver_id    uuid,
    reason       text CHECK (length(reason) <= 500),
    notes        text NOT NULL DEFAULT '' CHECK (length(notes) <= 5000),
    created_by   uuid REFERENCES users ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT vehicle_events__id__key UNIQUE (id),
    FOREIGN KEY (tenant_id, vehicle_id) REFERENCES vehicles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id) ON DELETE SET NULL (driver_id),
    CHECK (kind <> 'correction_odometre' OR (reason IS NOT NULL AND odometer_km IS NOT NULL))
);
CREATE INDEX vehicle_events__timeline__idx ON vehicle_events (tenant_id, vehicle_id, occurred_at DESC);

CREATE TYPE document_type AS ENUM
    ('carte_grise', 'assurance', 'controle_technique', 'permis', 'carte_vtc',
     'piece_identite', 'justificatif_domicile', 'rib', 'contrat', 'autre');
CREATE TYPE expiry_state AS ENUM ('a_jour', 'a_renouveler', 'expire', 'sans_echeance');

-- Days before expiry when a document of a type becomes "à renouveler"
-- (default 30 when a tenant has not set one).
CREATE TABLE document_thresholds (
    tenant_id  uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    type       document_type NOT NULL,
    days       integer NOT NULL CHECK (days BETWEEN 0 AND 365),
    PRIMARY KEY (tenant_id, type)
);

CREATE TABLE documents (
    tenant_id      uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id             uuid NOT NULL DEFAULT gen_random_uuid(),
    vehicle_id     uuid,
    driver_id      uuid,
    type           document_type NOT NULL,
    number         text CHECK (length(number) <= 100),
    issued_on      date,
    expires_on     date,
    file_name      text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    content_type   text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes     bigint NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
    storage_key    text NOT NULL CHECK (storage_key ~ '^[A-Za-z0-9_-]{20,64}$'),
    state          expiry_state NOT NULL DEFAULT 'sans_echeance',
    superseded_by  uuid,
    uploaded_by    uuid REFERENCES users ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT documents__id__key UNIQUE (id),
    CONSTRAINT documents__storage_key__key UNIQUE (storage_key),
    FOREIGN KEY (tenant_id, vehicle_id) REFERENCES vehicles (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id) ON DELETE CASCADE,
    CHECK ((vehicle_id IS NULL) <> (driver_id IS NULL)),
    CHECK (expires_on IS NULL OR issued_on IS NULL OR expires_on >= issued_on)
);
CREATE INDEX documents__due__idx ON documents (tenant_id, state, expires_on)
    WHERE superseded_by IS NULL;

-- The expiry state of a document on a day, for its tenant's threshold.
CREATE FUNCTION document_state(p_tenant uuid, p_type document_type, p_expires date, p_today date)
RETURNS expiry_state LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN p_expires IS NULL THEN 'sans_echeance'::expiry_state
        WHEN p_expires < p_today THEN 'expire'
        WHEN p_expires <= p_today + coalesce(
            (SELECT days FROM document_thresholds t
              WHERE t.tenant_id = p_tenant AND t.type = p_type), 30) THEN 'a_renouveler'
        ELSE 'a_jour'
    END
$$;

CREATE FUNCTION documents_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.state := document_state(NEW.tenant_id, NEW.type, NEW.expires_on,
                                (now() AT TIME ZONE 'Europe/Paris')::date);
    RETURN NEW;
END
$$;
CREATE TRIGGER documents_state BEFORE INSERT OR UPDATE OF expires_on, type ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_state();

-- ---- Row-level security -------------------------------------------------
--
-- Members see their organisation's rows.  A member whose role is driver
-- sees only what is linked to their own driver record: decided here from
-- the memberships table, not by the application.

CREATE FUNCTION app_is_driver() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM memberships m
                    WHERE m.tenant_id = app_tenant() AND m.user_id = app_user()
                      AND m.role = 'driver')
$$;

-- The driver record of the signed-in driver (NULL for other roles).
CREATE FUNCTION app_driver_id() RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT d.id FROM drivers d WHERE d.tenant_id = app_tenant() AND d.user_id = app_user()
$$;

ALTER TABLE drivers ENABLE ROW LEVEL SECURITY;
CREATE POLICY drivers_tenant ON drivers
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR user_id = app_user()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE assignments ENABLE ROW LEVEL SECURITY;
CREATE POLICY assignments_tenant ON assignments
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR driver_id = (SELECT app_driver_id())))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE vehicles ENABLE ROW LEVEL SECURITY;
CREATE POLICY vehicles_tenant ON vehicles
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR id IN (
               SELECT a.vehicle_id FROM assignments a
                WHERE a.driver_id = (SELECT app_driver_id()))))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE vehicle_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY vehicle_events_tenant ON vehicle_events
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR driver_id = (SELECT app_driver_id())))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY documents_tenant ON documents
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR driver_id = (SELECT app_driver_id())))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE document_thresholds ENABLE ROW LEVEL SECURITY;
CREATE POLICY document_thresholds_tenant ON document_thresholds
    USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));
