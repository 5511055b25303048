-- Commerce: what an organisation sells, filled by commerce sources
-- (iSaVigne exports, Odoo) like trips are by the platforms' sources:
-- keyed by (source, source_key), source being the key space
-- ("isavigne_<source id>"), upserted by each sync.
--
--   packaging_units   the organisation's packagings and what one unit of
--                     each is in bottles and in 75 cl equivalents
--                     (editable; the defaults below for every tenant);
--   product_catalog   products, their price segment computed from the
--                     list price;
--   customers         customers, their purchase figures recomputed from
--                     sales_lines after each sync;
--   sales_lines       one line of an order;
--   stock_levels      a full snapshot per sync: a row the last sync did
--                     not bring is zero, not stale;
--   contact_history   what was sent to a customer and what came of it.

CREATE TABLE packaging_units (
    tenant_id   uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    code        text NOT NULL CHECK (code ~ '^[a-z0-9_]{1,40}$'),
    label       text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    bottles     numeric(8,3) NOT NULL CHECK (bottles >= 0 AND bottles <= 1000),
    eq75        numeric(8,3) NOT NULL CHECK (eq75 >= 0 AND eq75 <= 1000),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT packaging_units__code__key PRIMARY KEY (tenant_id, code)
);

-- What every organisation starts with: a bottle is 75 cl.
CREATE FUNCTION packaging_defaults(p_tenant uuid) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    INSERT INTO packaging_units (tenant_id, code, label, bottles, eq75)
    SELECT p_tenant, d.code, d.label, d.bottles, d.eq75
      FROM (VALUES ('bouteille', 'Bouteille 75 cl', 1, 1),
                   ('demi', 'Demi-bouteille 37,5 cl', 1, 0.5),
                   ('magnum', 'Magnum 1,5 L', 1, 2),
                   ('jeroboam', 'Jéroboam 3 L', 1, 4),
                   ('caisse6', 'Caisse de 6', 6, 6),
                   ('caisse12', 'Caisse de 12', 12, 12),
                   ('bib3l', 'BIB 3 L', 1, 4)) d (code, label, bottles, eq75)
    ON CONFLICT DO NOTHING
$$;
REVOKE ALL ON FUNCTION packaging_defaults FROM PUBLIC;

CREATE FUNCTION packaging_defaults_new_tenant() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM packaging_defaults(NEW.id);
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION packaging_defaults_new_tenant FROM PUBLIC;
CREATE TRIGGER tenants_packaging AFTER INSERT ON tenants
    FOR EACH ROW EXECUTE FUNCTION packaging_defaults_new_tenant();
SELECT packaging_defaults(id) FROM tenants;

CREATE TABLE product_catalog (
    tenant_id         uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id                uuid NOT NULL DEFAULT gen_random_uuid(),
    source            text COLLATE "C" NOT NULL CHECK (length(source) BETWEEN 1 AND 80),
    source_key        text COLLATE "C" NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    source_id         uuid,
    run_id            uuid,
    product_key       text COLLATE "C" NOT NULL CHECK (length(product_key) BETWEEN 1 AND 250),
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    category          text NOT NULL DEFAULT 'autre'
                      CHECK (category IN ('rouge', 'blanc', 'rose', 'petillant',
                                          'mousseux', 'fortifie', 'autre')),
    list_price_cents  bigint CHECK (list_price_cents >= 0),
    cost_price_cents  bigint CHECK (cost_price_cents >= 0),
    -- entrée < 15 €, standard 15–30, premium 30–75, luxe ≥ 75.
    price_segment     text GENERATED ALWAYS AS (CASE
                          WHEN list_price_cents IS NULL THEN NULL
                          WHEN list_price_cents < 1500 THEN 'entree'
                          WHEN list_price_cents < 3000 THEN 'standard'
                          WHEN list_price_cents < 7500 THEN 'premium'
                          ELSE 'luxe' END) STORED,
    packaging         text CHECK (length(packaging) <= 40),
    grapes            text CHECK (length(grapes) <= 500),
    flavours          text CHECK (length(flavours) <= 500),
    vintage           integer CHECK (vintage BETWEEN 1800 AND 2200),
    region            text CHECK (length(region) <= 200),
    alcohol_pct       numeric(4,1) CHECK (alcohol_pct BETWEEN 0 AND 100),
    body              text CHECK (length(body) <= 100),
    tannins           text CHECK (length(tannins) <= 100),
    active            boolean NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT product_catalog__source_key__key UNIQUE (tenant_id, source, source_key)
);
CREATE INDEX product_catalog__name__idx ON product_catalog (tenant_id, name);

CREATE TABLE customers (
    tenant_id            uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id                   uuid NOT NULL DEFAULT gen_random_uuid(),
    source               text COLLATE "C" NOT NULL CHECK (length(source) BETWEEN 1 AND 80),
    source_key           text COLLATE "C" NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    source_id            uuid,
    run_id               uuid,
    customer_key         text COLLATE "C" NOT NULL CHECK (length(customer_key) BETWEEN 1 AND 250),
    first_name           text CHECK (length(first_name) <= 100),
    last_name            text CHECK (length(last_name) <= 100),
    email                text CHECK (length(email) <= 200),
    phone                text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
    mobile               text CHECK (mobile ~ '^\+[1-9][0-9]{6,14}$'),
    zip                  text CHECK (length(zip) <= 20),
    city                 text CHECK (length(city) <= 100),
    country              text CHECK (length(country) <= 60),
    optout_email         boolean NOT NULL DEFAULT false,
    optout_sms           boolean NOT NULL DEFAULT false,
    optout_phone         boolean NOT NULL DEFAULT false,
    first_purchase_on    date,
    last_purchase_on     date,
    total_spent_cents    bigint NOT NULL DEFAULT 0,
    purchase_count       integer NOT NULL DEFAULT 0,
    average_order_cents  bigint,
    preferred_category   text,
    -- Computed by the recommendations; PROSPECT until then.
    segment              text NOT NULL DEFAULT 'PROSPECT' CHECK (segment ~ '^[A-Z_]{1,40}$'),
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT customers__source_key__key UNIQUE (tenant_id, source, source_key)
);
CREATE INDEX customers__email__idx ON customers (tenant_id, email);
CREATE INDEX customers__name__idx ON customers (tenant_id, last_name, first_name);

CREATE TABLE sales_lines (
    tenant_id          uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id                 uuid NOT NULL DEFAULT gen_random_uuid(),
    source             text COLLATE "C" NOT NULL CHECK (length(source) BETWEEN 1 AND 80),
    source_key         text COLLATE "C" NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    source_id          uuid,
    run_id             uuid,
    customer_id        uuid,
    product_id         uuid,
    -- The source's own keys, kept so that a line whose customer or
    -- product is unknown still says which one it named.
    customer_ref       text CHECK (length(customer_ref) <= 200),
    product_ref        text CHECK (length(product_ref) <= 200),
    order_ref          text CHECK (length(order_ref) <= 200),
    sold_on            date,
    packaging          text CHECK (length(packaging) <= 40),
    quantity_units     numeric(12,3) NOT NULL DEFAULT 0,
    quantity_bottles   numeric(14,3),
    quantity_75cl_eq   numeric(14,3),
    unit_price_cents   bigint,
    total_cents        bigint,
    cost_cents         bigint,
    margin_pct         numeric(8,2),
    channel            text CHECK (length(channel) <= 60),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT sales_lines__source_key__key UNIQUE (tenant_id, source, source_key)
);
CREATE INDEX sales_lines__customer__idx ON sales_lines (tenant_id, customer_id, sold_on);
CREATE INDEX sales_lines__sold_on__idx ON sales_lines (tenant_id, sold_on DESC);

CREATE TABLE stock_levels (
    tenant_id    uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    source       text COLLATE "C" NOT NULL CHECK (length(source) BETWEEN 1 AND 80),
    source_key   text COLLATE "C" NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    source_id    uuid,
    run_id       uuid,
    product_id   uuid,
    product_ref  text CHECK (length(product_ref) <= 200),
    warehouse    text NOT NULL DEFAULT '' CHECK (length(warehouse) <= 100),
    quantity     numeric(14,3) NOT NULL DEFAULT 0,
    reserved     numeric(14,3) NOT NULL DEFAULT 0,
    available    numeric(14,3) GENERATED ALWAYS AS (quantity - reserved) STORED,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT stock_levels__source_key__key UNIQUE (tenant_id, source, source_key)
);

CREATE TABLE contact_history (
    tenant_id          uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id                 uuid NOT NULL DEFAULT gen_random_uuid(),
    source             text COLLATE "C" NOT NULL CHECK (length(source) BETWEEN 1 AND 80),
    source_key         text COLLATE "C" NOT NULL CHECK (length(source_key) BETWEEN 1 AND 200),
    source_id          uuid,
    run_id             uuid,
    customer_id        uuid,
    customer_ref       text CHECK (length(customer_ref) <= 200),
    contacted_at       timestamptz,
    channel            text NOT NULL DEFAULT 'autre'
                       CHECK (channel IN ('email', 'sms', 'telephone', 'courrier', 'autre')),
    campaign           text CHECK (length(campaign) <= 200),
    subject            text CHECK (length(subject) <= 500),
    status             text CHECK (status IN ('envoye', 'ouvert', 'clique', 'rebond', 'desinscrit')),
    product_id         uuid,
    product_ref        text CHECK (length(product_ref) <= 200),
    response           text CHECK (length(response) <= 2000),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT contact_history__source_key__key UNIQUE (tenant_id, source, source_key)
);
CREATE INDEX contact_history__customer__idx ON contact_history (tenant_id, customer_id, contacted_at DESC);

-- ---- Row-level security -------------------------------------------------
-- The office's business: a driver sees none of it.

ALTER TABLE packaging_units ENABLE ROW LEVEL SECURITY;
CREATE POLICY packaging_units_tenant ON packaging_units
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE product_catalog ENABLE ROW LEVEL SECURITY;
CREATE POLICY product_catalog_tenant ON product_catalog
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY customers_tenant ON customers
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE sales_lines ENABLE ROW LEVEL SECURITY;
CREATE POLICY sales_lines_tenant ON sales_lines
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE stock_levels ENABLE ROW LEVEL SECURITY;
CREATE POLICY stock_levels_tenant ON stock_levels
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE contact_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY contact_history_tenant ON contact_history
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

-- ---- « Qualité des données » ---------------------------------------------
-- A report per source after each of its syncs (a job) and on demand: one
-- result per check (fcgi/jobs/quality_checks.c describes them), kept with
-- its history.  Thresholds are per check and organisation: the percentage
-- of failing rows above which a check warns, and above which it fails.

CREATE TABLE quality_thresholds (
    tenant_id   uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    check_code  text NOT NULL CHECK (check_code ~ '^[a-z][a-z0-9_]{1,60}$'),
    warn_pct    numeric(6,2) NOT NULL CHECK (warn_pct BETWEEN 0 AND 100),
    fail_pct    numeric(6,2) NOT NULL CHECK (fail_pct BETWEEN 0 AND 100),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, check_code),
    CHECK (fail_pct >= warn_pct)
);

CREATE TABLE quality_reports (
    tenant_id   uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    source_id   uuid NOT NULL,
    run_id      uuid,
    trigger     text NOT NULL CHECK (trigger IN ('synchronisation', 'manuel')),
    status      text NOT NULL CHECK (status IN ('reussi', 'avertissement', 'echec', 'erreur')),
    checks      integer NOT NULL DEFAULT 0,
    passed      integer NOT NULL DEFAULT 0,
    warnings    integer NOT NULL DEFAULT 0,
    failures    integer NOT NULL DEFAULT 0,
    errors      integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, source_id) REFERENCES sources (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX quality_reports__source__idx ON quality_reports (tenant_id, source_id, created_at DESC);

CREATE TABLE quality_results (
    tenant_id    uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    report_id    uuid NOT NULL,
    position     integer NOT NULL,
    check_code   text NOT NULL,
    dimension    text NOT NULL CHECK (dimension IN ('completude', 'unicite', 'validite',
                     'integrite', 'fraicheur', 'volume', 'reconciliation', 'schema')),
    table_name   text NOT NULL,
    status       text NOT NULL CHECK (status IN ('reussi', 'avertissement', 'echec', 'erreur')),
    total        bigint NOT NULL DEFAULT 0,
    failing      bigint NOT NULL DEFAULT 0,
    failing_pct  numeric(6,2) NOT NULL DEFAULT 0,
    warn_pct     numeric(6,2) NOT NULL,
    fail_pct     numeric(6,2) NOT NULL,
    observed     text CHECK (length(observed) <= 500),
    samples      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(samples) = 'array'),
    PRIMARY KEY (tenant_id, report_id, position),
    FOREIGN KEY (tenant_id, report_id) REFERENCES quality_reports (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE quality_thresholds ENABLE ROW LEVEL SECURITY;
CREATE POLICY quality_thresholds_tenant ON quality_thresholds
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE quality_reports ENABLE ROW LEVEL SECURITY;
CREATE POLICY quality_reports_tenant ON quality_reports
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE quality_results ENABLE ROW LEVEL SECURITY;
CREATE POLICY quality_results_tenant ON quality_results
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));
