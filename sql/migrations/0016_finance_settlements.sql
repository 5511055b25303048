-- Finance: weekly settlements of drivers, computed set-based from the
-- imported trips and earnings, the assignments and the fines, frozen and
-- posted to the ledger (0016_finance_ledger.sql) when validated.
--
-- A week is ISO: Monday 00:00 → Sunday 24:00 Europe/Paris; Uber's own
-- week starts Monday 04:00 and its trips are counted in that period.
-- Per platform and week one source is authoritative: the platform's
-- period earnings (earnings, weekly rows, else daily ones) when there are
-- any, else the sum of the week's trips; never both
-- (settlement_platforms.source says which).
--
--   amount_due = platform_net − cash_collected − rent − commission
--                − charges + adjustments + opening_balance
--
-- positive: the fleet owes the driver; negative: a debt carried to the
-- next week as its opening balance, no payout.  Salaried drivers
-- (collaboration salarie) get their week computed for payroll with no
-- amount due and no driver account entry.
--
-- States: brouillon (settlement_compute rewrites it) → valide (frozen;
-- later data for that week becomes an « ajustement » line on the driver's
-- next open week) → paye (set by the payouts: UPDATE settlements SET
-- status = 'paye', paid_at = now() WHERE id = ... AND status = 'valide';
-- nothing else of a validated settlement may change).
--
-- ==== Hook for the invoices ==============================================
--   finance_after_validate(p_settlement uuid) RETURNS void
-- is called in the validating transaction (settlement_freeze for one,
-- settlement_validate_week for a week), after the ledger posting and the
-- status change, with the settlement readable as valide.  Its body here does nothing; the invoices' migration replaces
-- it (CREATE OR REPLACE, same signature) to issue the week's invoice.  An
-- exception raised there rolls the validation back.
-- ==========================================================================

-- ---- Collaboration terms --------------------------------------------------
-- weekly_rent_cents (prorated by the days a vehicle was held) and
-- commission_rate_bp exist already.  Added: the rate on tips and bonuses
-- (NULL: the same as commission_rate_bp), the platform net below which no
-- commission is taken (fixed rent + a rate above a threshold), and a fee
-- per completed ride.
ALTER TABLE drivers
    ADD COLUMN commission_tips_rate_bp integer CHECK (commission_tips_rate_bp BETWEEN 0 AND 10000),
    ADD COLUMN commission_threshold_cents bigint CHECK (commission_threshold_cents >= 0),
    ADD COLUMN per_ride_cents bigint CHECK (per_ride_cents >= 0);

CREATE TYPE settlement_status AS ENUM ('brouillon', 'valide', 'paye');
CREATE TYPE settlement_line_kind AS ENUM
    ('amende', 'carburant', 'franchise', 'bonus', 'avance', 'remboursement',
     'caution', 'ajustement');

CREATE TABLE settlements (
    tenant_id              uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id                     uuid NOT NULL DEFAULT gen_random_uuid(),
    driver_id              uuid NOT NULL,
    week_start             date NOT NULL CHECK (extract(isodow FROM week_start) = 1),
    week                   text NOT NULL CHECK (week ~ '^[0-9]{4}-W[0-9]{2}$'),
    collaboration          collaboration_kind,
    payroll                boolean NOT NULL DEFAULT false,
    rent_days              smallint NOT NULL DEFAULT 0 CHECK (rent_days BETWEEN 0 AND 7),
    rides                  integer NOT NULL DEFAULT 0,
    platform_net_cents     bigint NOT NULL DEFAULT 0,
    cash_collected_cents   bigint NOT NULL DEFAULT 0,
    bonuses_cents          bigint NOT NULL DEFAULT 0,
    tips_cents             bigint NOT NULL DEFAULT 0,
    rent_cents             bigint NOT NULL DEFAULT 0,
    commission_cents       bigint NOT NULL DEFAULT 0,
    charges_cents          bigint NOT NULL DEFAULT 0,
    adjustments_cents      bigint NOT NULL DEFAULT 0,
    opening_balance_cents  bigint NOT NULL DEFAULT 0,
    amount_due_cents       bigint NOT NULL DEFAULT 0,
    currency               char(3) NOT NULL DEFAULT 'EUR',
    status                 settlement_status NOT NULL DEFAULT 'brouillon',
    computed_at            timestamptz NOT NULL DEFAULT now(),
    validated_at           timestamptz,
    validated_by           uuid REFERENCES users ON DELETE SET NULL,
    paid_at                timestamptz,
    transaction_id         uuid,
    created_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT settlements__id__key UNIQUE (id),
    CONSTRAINT settlements__week__key UNIQUE (tenant_id, driver_id, week_start),
    FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id),
    FOREIGN KEY (tenant_id, transaction_id) REFERENCES ledger_transactions (tenant_id, id),
    -- what is frozen adds up (a brouillon is written in steps)
    CHECK (status = 'brouillon' OR payroll
           OR amount_due_cents = platform_net_cents - cash_collected_cents - rent_cents
              - commission_cents - charges_cents + adjustments_cents + opening_balance_cents)
);
CREATE INDEX settlements__week__idx ON settlements (tenant_id, week_start, status);

-- The figures of each platform, from its one source.  period_start and
-- period_end are the platform's own week (Uber: from Monday 04:00).
CREATE TABLE settlement_platforms (
    tenant_id             uuid NOT NULL,
    settlement_id         uuid NOT NULL,
    platform              trip_platform NOT NULL,
    source                text NOT NULL CHECK (source IN ('earnings', 'trips')),
    period_start          timestamptz NOT NULL,
    period_end            timestamptz NOT NULL,
    net_cents             bigint NOT NULL DEFAULT 0,
    cash_collected_cents  bigint NOT NULL DEFAULT 0,
    bonuses_cents         bigint NOT NULL DEFAULT 0,
    tips_cents            bigint NOT NULL DEFAULT 0,
    rides                 integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, settlement_id, platform),
    FOREIGN KEY (tenant_id, settlement_id) REFERENCES settlements (tenant_id, id) ON DELETE CASCADE
);

-- Charges and adjustments.  amount_cents is signed as the driver sees
-- it: a charge (amende, carburant, franchise), an advance or a deposit is
-- negative, a bonus or refund positive, an « ajustement » either.
-- origin: manuel (entered with a reason), amende (from a vehicle event
-- « amende », vehicle_event_id), import (data that arrived for a week
-- already validated: for_settlement_id, with the platform's deltas).
CREATE TABLE settlement_lines (
    tenant_id          uuid NOT NULL,
    id                 uuid NOT NULL DEFAULT gen_random_uuid(),
    settlement_id      uuid NOT NULL,
    kind               settlement_line_kind NOT NULL,
    origin             text NOT NULL CHECK (origin IN ('manuel', 'amende', 'import')),
    amount_cents       bigint NOT NULL,
    reason             text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    vehicle_event_id   uuid,
    for_settlement_id  uuid,
    platform           trip_platform,
    net_cents          bigint NOT NULL DEFAULT 0,
    cash_cents         bigint NOT NULL DEFAULT 0,
    commission_cents   bigint NOT NULL DEFAULT 0,
    created_by         uuid REFERENCES users ON DELETE SET NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT settlement_lines__id__key UNIQUE (id),
    CONSTRAINT settlement_lines__vehicle_event_id__key UNIQUE (tenant_id, vehicle_event_id),
    FOREIGN KEY (tenant_id, settlement_id) REFERENCES settlements (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, for_settlement_id) REFERENCES settlements (tenant_id, id),
    CHECK (origin <> 'amende' OR vehicle_event_id IS NOT NULL),
    CHECK (origin <> 'import' OR (for_settlement_id IS NOT NULL AND kind = 'ajustement')),
    CHECK (kind NOT IN ('amende', 'carburant', 'franchise', 'avance', 'caution') OR amount_cents < 0),
    CHECK (kind NOT IN ('bonus', 'remboursement') OR amount_cents > 0)
);
CREATE INDEX settlement_lines__settlement__idx ON settlement_lines (tenant_id, settlement_id);
CREATE INDEX settlement_lines__for__idx ON settlement_lines (tenant_id, for_settlement_id)
    WHERE for_settlement_id IS NOT NULL;

-- Late data: rows written after a week was validated are found by when
-- they were written.
CREATE INDEX trips__updated__idx ON trips (tenant_id, updated_at);
CREATE INDEX earnings__updated__idx ON earnings (tenant_id, updated_at);
CREATE INDEX vehicle_events__fines__idx ON vehicle_events (tenant_id, occurred_at)
    WHERE kind = 'amende' AND driver_id IS NOT NULL;

-- ---- Frozen means frozen --------------------------------------------------

-- A validated settlement changes only to paye (with paid_at); its
-- platform figures and lines never change.  The deletion of the
-- organisation (or of a brouillon) still cascades.
CREATE FUNCTION settlements_frozen() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'brouillon' AND EXISTS (SELECT 1 FROM tenants WHERE id = OLD.tenant_id) THEN
            RAISE EXCEPTION 'Un relevé validé ne se supprime pas.'
                USING ERRCODE = '55000', CONSTRAINT = 'settlements__status__frozen';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'brouillon'
       OR (OLD.status = 'valide' AND NEW.status IN ('valide', 'paye')
           AND to_jsonb(NEW) - 'status' - 'paid_at' = to_jsonb(OLD) - 'status' - 'paid_at') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Ce relevé est validé : il ne change plus (un ajustement ira sur la semaine ouverte suivante).'
        USING ERRCODE = '55000', CONSTRAINT = 'settlements__status__frozen';
END
$$;
-- A brouillon is rewritten freely (and often: every computation).
CREATE TRIGGER settlements_frozen BEFORE UPDATE ON settlements
    FOR EACH ROW WHEN (OLD.status <> 'brouillon') EXECUTE FUNCTION settlements_frozen();
CREATE TRIGGER settlements_frozen_delete BEFORE DELETE ON settlements
    FOR EACH ROW WHEN (OLD.status <> 'brouillon') EXECUTE FUNCTION settlements_frozen();

CREATE FUNCTION settlement_parts_frozen() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    tid uuid;
    sid uuid;
BEGIN
    IF TG_OP = 'INSERT' THEN
        tid := NEW.tenant_id; sid := NEW.settlement_id;
    ELSE
        tid := OLD.tenant_id; sid := OLD.settlement_id;
    END IF;
    IF EXISTS (SELECT 1 FROM settlements s WHERE s.tenant_id = tid
                  AND s.id = sid AND s.status <> 'brouillon') THEN
        RAISE EXCEPTION 'Ce relevé est validé : ses lignes ne changent plus.'
            USING ERRCODE = '55000', CONSTRAINT = 'settlements__status__frozen';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER settlement_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON settlement_lines
    FOR EACH ROW EXECUTE FUNCTION settlement_parts_frozen();
CREATE TRIGGER settlement_platforms_frozen BEFORE INSERT OR UPDATE OR DELETE ON settlement_platforms
    FOR EACH ROW EXECUTE FUNCTION settlement_parts_frozen();

-- ---- Weeks ---------------------------------------------------------------

-- The Monday of an ISO week written 2026-W48; NULL when malformed or
-- when the week does not exist (W53 of a 52-week year).
CREATE FUNCTION finance_week_start(p_week text) RETURNS date
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    d date;
BEGIN
    IF p_week IS NULL OR p_week !~ '^[0-9]{4}-W[0-9]{2}$' THEN
        RETURN NULL;
    END IF;
    d := to_date(p_week, 'IYYY-"W"IW');
    IF to_char(d, 'IYYY-"W"IW') <> p_week THEN
        RETURN NULL;
    END IF;
    RETURN d;
END
$$;

-- ---- The figures of a week ---------------------------------------------------

-- Per driver and platform, the week's figures from the one source that
-- counts: period earnings (weekly rows, else daily ones) when the
-- platform gave any for that driver and week, else the sum of the trips
-- started in the platform's week.  p_drivers NULL: every driver.
-- Monthly earnings cannot be cut into weeks: the trips count then.
CREATE FUNCTION settlement_figures(p_week date, p_drivers uuid[] DEFAULT NULL)
RETURNS TABLE (driver_id uuid, platform trip_platform, source text,
               period_start timestamptz, period_end timestamptz, net_cents bigint,
               cash_collected_cents bigint, bonuses_cents bigint, tips_cents bigint,
               rides integer)
LANGUAGE sql STABLE AS $$
    WITH bounds AS (
        SELECT (p_week::timestamp AT TIME ZONE 'Europe/Paris') AS w0,
               ((p_week + 7)::timestamp AT TIME ZONE 'Europe/Paris') AS w1,
               ((p_week::timestamp + interval '4 hours') AT TIME ZONE 'Europe/Paris') AS u0,
               (((p_week + 7)::timestamp + interval '4 hours') AT TIME ZONE 'Europe/Paris') AS u1),
    e AS (
        SELECT x.driver_id, x.platform, x.net_cents, x.cash_collected_cents,
               x.bonuses_cents, x.tips_cents, x.rides_done,
               rank() OVER (PARTITION BY x.driver_id, x.platform
                            ORDER BY x.period DESC) AS pick
          FROM earnings x
         WHERE x.tenant_id = app_tenant() AND x.driver_id IS NOT NULL
           AND x.period IN ('semaine', 'jour')
           AND x.period_start >= p_week AND x.period_start < p_week + 7
           AND (p_drivers IS NULL OR x.driver_id = ANY (p_drivers))),
    ew AS (
        SELECT e.driver_id, e.platform, 'earnings'::text AS source,
               coalesce(sum(e.net_cents), 0)::bigint AS net,
               coalesce(sum(e.cash_collected_cents), 0)::bigint AS cash,
               coalesce(sum(e.bonuses_cents), 0)::bigint AS bonuses,
               coalesce(sum(e.tips_cents), 0)::bigint AS tips,
               coalesce(sum(e.rides_done), 0)::integer AS rides
          FROM e WHERE e.pick = 1 GROUP BY e.driver_id, e.platform),
    tw AS (
        SELECT t.driver_id, t.platform, 'trips'::text AS source,
               coalesce(sum(t.net_earnings_cents), 0)::bigint AS net,
               coalesce(sum(t.cash_collected_cents), 0)::bigint AS cash,
               0::bigint AS bonuses,
               coalesce(sum(t.tips_cents), 0)::bigint AS tips,
               (count(*) FILTER (WHERE t.status = 'terminee'))::integer AS rides
          FROM trips t, bounds b
         WHERE t.tenant_id = app_tenant() AND t.driver_id IS NOT NULL
           AND t.started_at >= b.w0 AND t.started_at < b.u1
           AND CASE WHEN t.platform = 'uber' THEN t.started_at >= b.u0
                    ELSE t.started_at < b.w1 END
           AND (p_drivers IS NULL OR t.driver_id = ANY (p_drivers))
         GROUP BY t.driver_id, t.platform)
    SELECT f.driver_id, f.platform, f.source,
           CASE WHEN f.platform = 'uber' THEN b.u0 ELSE b.w0 END,
           CASE WHEN f.platform = 'uber' THEN b.u1 ELSE b.w1 END,
           f.net, f.cash, f.bonuses, f.tips, f.rides
      FROM (SELECT * FROM ew
            UNION ALL
            SELECT * FROM tw
             WHERE NOT EXISTS (SELECT 1 FROM ew
                                WHERE ew.driver_id = tw.driver_id
                                  AND ew.platform = tw.platform)) f,
           bounds b
$$;

-- The commission of a week from the driver's terms: the rate on the
-- platform net above the threshold (tips and bonuses apart, at their own
-- rate), plus the fee per ride.  Rounded half away from zero, per term.
CREATE FUNCTION settlement_commission(p_net bigint, p_bonuses bigint, p_tips bigint,
                                      p_rides integer, p_rate integer, p_tips_rate integer,
                                      p_threshold bigint, p_per_ride bigint)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT (round(greatest(p_net - p_tips - p_bonuses - coalesce(p_threshold, 0), 0)::numeric
                  * coalesce(p_rate, 0) / 10000)
          + round((p_tips + p_bonuses)::numeric * coalesce(p_tips_rate, p_rate, 0) / 10000)
          + coalesce(p_per_ride, 0) * p_rides)::bigint
$$;

-- ---- Computing a week -----------------------------------------------------------

-- Writes the brouillon settlements of a week (of one driver when
-- p_driver is given), set-based: the drivers who are active or had
-- anything that week, their platform figures, prorated rent, commission,
-- the fines of the week (and fines of validated weeks not yet charged),
-- adjustments for data that arrived after a week was validated, the
-- opening balance, the amount due.  Validated settlements are left as
-- they are.  Returns the number of brouillon settlements of the week.
CREATE FUNCTION settlement_compute(p_week date, p_driver uuid DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SET client_min_messages = warning AS $$
DECLARE
    t uuid := app_tenant();
    w0 timestamptz := p_week::timestamp AT TIME ZONE 'Europe/Paris';
    w1 timestamptz := (p_week + 7)::timestamp AT TIME ZONE 'Europe/Paris';
    wk text := to_char(p_week, 'IYYY-"W"IW');
    cur char(3);
    n integer;
    since timestamptz;
BEGIN
    IF t IS NULL OR p_week IS NULL OR extract(isodow FROM p_week) <> 1 THEN
        RAISE EXCEPTION 'Semaine invalide.' USING ERRCODE = '22023';
    END IF;
    -- One computation of an organisation's week at a time.
    PERFORM pg_advisory_xact_lock(hashtext('settlement_compute:' || t::text || ':' || p_week::text));
    SELECT currency INTO cur FROM tenants WHERE id = t;

    CREATE TEMP TABLE IF NOT EXISTS sc_fig (driver_id uuid, platform trip_platform,
        source text, period_start timestamptz, period_end timestamptz, net_cents bigint,
        cash_collected_cents bigint, bonuses_cents bigint, tips_cents bigint, rides integer)
        ON COMMIT DROP;
    TRUNCATE sc_fig;
    INSERT INTO sc_fig
    SELECT * FROM settlement_figures(p_week, CASE WHEN p_driver IS NULL THEN NULL
                                                  ELSE ARRAY[p_driver] END);
    ANALYZE sc_fig;

    -- The drivers of the week and their settlement's figures.
    WITH scope AS (
        SELECT d.id, d.collaboration, d.weekly_rent_cents, d.commission_rate_bp,
               d.commission_tips_rate_bp, d.commission_threshold_cents, d.per_ride_cents
          FROM drivers d
         WHERE d.tenant_id = t AND (p_driver IS NULL OR d.id = p_driver)
           AND ((d.status = 'actif' AND d.archived_at IS NULL)
                OR d.id IN (SELECT f.driver_id FROM sc_fig f)
                OR d.id IN (SELECT s.driver_id FROM settlements s
                             WHERE s.tenant_id = t AND s.week_start = p_week))),
    days AS (
        SELECT a.driver_id, count(DISTINCT g.i)::smallint AS n
          FROM assignments a
          JOIN generate_series(0, 6) g(i)
            ON tstzrange(a.starts_at, a.ends_at)
               && tstzrange((p_week + g.i)::timestamp AT TIME ZONE 'Europe/Paris',
                            (p_week + g.i + 1)::timestamp AT TIME ZONE 'Europe/Paris')
         WHERE a.tenant_id = t AND a.starts_at < w1 AND (a.ends_at IS NULL OR a.ends_at > w0)
           AND (p_driver IS NULL OR a.driver_id = p_driver)
         GROUP BY a.driver_id),
    tot AS (
        SELECT f.driver_id, sum(f.net_cents)::bigint AS net,
               sum(f.cash_collected_cents)::bigint AS cash,
               sum(f.bonuses_cents)::bigint AS bonuses, sum(f.tips_cents)::bigint AS tips,
               sum(f.rides)::integer AS rides
          FROM sc_fig f GROUP BY f.driver_id)
    INSERT INTO settlements AS s (tenant_id, driver_id, week_start, week, collaboration, payroll,
                                  rent_days, rides, platform_net_cents, cash_collected_cents,
                                  bonuses_cents, tips_cents, rent_cents, commission_cents,
                                  currency, computed_at)
    SELECT t, sc.id, p_week, wk, sc.collaboration, sc.collaboration IS NOT DISTINCT FROM 'salarie',
           coalesce(dy.n, 0), coalesce(tt.rides, 0), coalesce(tt.net, 0), coalesce(tt.cash, 0),
           coalesce(tt.bonuses, 0), coalesce(tt.tips, 0),
           CASE WHEN sc.collaboration = 'salarie' THEN 0
                ELSE round(coalesce(sc.weekly_rent_cents, 0)::numeric * coalesce(dy.n, 0) / 7)::bigint END,
           CASE WHEN sc.collaboration = 'salarie' THEN 0
                ELSE settlement_commission(coalesce(tt.net, 0), coalesce(tt.bonuses, 0),
                         coalesce(tt.tips, 0), coalesce(tt.rides, 0), sc.commission_rate_bp,
                         sc.commission_tips_rate_bp, sc.commission_threshold_cents,
                         sc.per_ride_cents) END,
           cur, now()
      FROM scope sc
      LEFT JOIN days dy ON dy.driver_id = sc.id
      LEFT JOIN tot tt ON tt.driver_id = sc.id
    ON CONFLICT (tenant_id, driver_id, week_start) DO UPDATE
       SET collaboration = excluded.collaboration, payroll = excluded.payroll,
           rent_days = excluded.rent_days, rides = excluded.rides,
           platform_net_cents = excluded.platform_net_cents,
           cash_collected_cents = excluded.cash_collected_cents,
           bonuses_cents = excluded.bonuses_cents, tips_cents = excluded.tips_cents,
           rent_cents = excluded.rent_cents, commission_cents = excluded.commission_cents,
           currency = excluded.currency, computed_at = excluded.computed_at
     WHERE s.status = 'brouillon';

    -- The brouillon settlements this computation owns.
    CREATE TEMP TABLE IF NOT EXISTS sc_open (id uuid PRIMARY KEY, driver_id uuid) ON COMMIT DROP;
    TRUNCATE sc_open;
    INSERT INTO sc_open
    SELECT s.id, s.driver_id FROM settlements s
     WHERE s.tenant_id = t AND s.week_start = p_week AND s.status = 'brouillon'
       AND (p_driver IS NULL OR s.driver_id = p_driver);
    ANALYZE sc_open;

    DELETE FROM settlement_platforms p USING sc_open o
     WHERE p.tenant_id = t AND p.settlement_id = o.id;
    INSERT INTO settlement_platforms (tenant_id, settlement_id, platform, source, period_start,
                                      period_end, net_cents, cash_collected_cents, bonuses_cents,
                                      tips_cents, rides)
    SELECT t, o.id, f.platform, f.source, f.period_start, f.period_end, f.net_cents,
           f.cash_collected_cents, f.bonuses_cents, f.tips_cents, f.rides
      FROM sc_fig f JOIN sc_open o ON o.driver_id = f.driver_id;

    -- Lines this computation derives are derived again; manual ones stay.
    DELETE FROM settlement_lines l USING sc_open o
     WHERE l.tenant_id = t AND l.settlement_id = o.id AND l.origin <> 'manuel';

    -- Fines: those of the week, and those of a validated week that no
    -- settlement charged (entered after its validation), when this week is
    -- the driver's first open week after it.
    INSERT INTO settlement_lines (tenant_id, settlement_id, kind, origin, amount_cents, reason,
                                  vehicle_event_id)
    SELECT t, o.id, 'amende', 'amende', -e.cost_cents,
           left('Amende du ' || to_char(e.occurred_at AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY')
                || coalesce(' — ' || nullif(e.reason, ''), ''), 500),
           e.id
      FROM vehicle_events e JOIN sc_open o ON o.driver_id = e.driver_id
     WHERE e.tenant_id = t AND e.kind = 'amende' AND e.driver_id IS NOT NULL
       AND e.cost_cents > 0
       AND e.occurred_at >= w0 - interval '35 days' AND e.occurred_at < w1
       AND NOT EXISTS (SELECT 1 FROM settlement_lines x
                        WHERE x.tenant_id = t AND x.vehicle_event_id = e.id)
       AND (e.occurred_at >= w0 OR EXISTS (
            SELECT 1 FROM settlements v
             WHERE v.tenant_id = t AND v.driver_id = e.driver_id AND v.status <> 'brouillon'
               AND v.week_start = date_trunc('week', e.occurred_at AT TIME ZONE 'Europe/Paris')::date
               AND NOT EXISTS (SELECT 1 FROM settlements b
                                WHERE b.tenant_id = t AND b.driver_id = v.driver_id
                                  AND b.status = 'brouillon'
                                  AND b.week_start > v.week_start AND b.week_start < p_week)))
    ON CONFLICT (tenant_id, vehicle_event_id) DO NOTHING;

    -- Late data: validated weeks (up to five back) of these drivers
    -- whose trips or earnings were written after their validation, for
    -- which this week is the first open one.
    SELECT min(v.validated_at) INTO since FROM settlements v
     WHERE v.tenant_id = t AND v.status <> 'brouillon' AND NOT v.payroll
       AND v.week_start >= p_week - 35 AND v.week_start < p_week
       AND (p_driver IS NULL OR v.driver_id = p_driver);
    IF since IS NOT NULL THEN
        PERFORM settlement_late_adjustments(p_week, since);
    END IF;

    -- Totals, opening balance (the previous week's debt), amount due.
    UPDATE settlements s
       SET charges_cents = c.charges, adjustments_cents = c.adjustments,
           opening_balance_cents = c.opening,
           amount_due_cents = s.platform_net_cents - s.cash_collected_cents - s.rent_cents
               - s.commission_cents - c.charges + c.adjustments + c.opening
      FROM (SELECT o.id,
                   coalesce(-sum(l.amount_cents) FILTER (WHERE l.kind IN
                       ('amende', 'carburant', 'franchise')), 0)::bigint AS charges,
                   coalesce(sum(l.amount_cents) FILTER (WHERE l.kind NOT IN
                       ('amende', 'carburant', 'franchise')), 0)::bigint AS adjustments,
                   coalesce((SELECT least(p.amount_due_cents, 0) FROM settlements p
                              WHERE p.tenant_id = t AND p.driver_id = o.driver_id
                                AND p.week_start < p_week AND NOT p.payroll
                              ORDER BY p.week_start DESC LIMIT 1), 0) AS opening
              FROM sc_open o
              LEFT JOIN settlement_lines l ON l.tenant_id = t AND l.settlement_id = o.id
             GROUP BY o.id, o.driver_id) c
     WHERE s.tenant_id = t AND s.id = c.id AND NOT s.payroll;
    -- A salaried driver's week is for payroll: nothing due, nothing carried.
    UPDATE settlements s SET charges_cents = 0, adjustments_cents = 0, opening_balance_cents = 0,
           amount_due_cents = 0
      FROM sc_open o WHERE s.tenant_id = t AND s.id = o.id AND s.payroll;

    SELECT count(*) INTO n FROM sc_open;
    RETURN n;
END
$$;

-- Adjustment lines on this week's open settlements (sc_open) for what
-- changed in validated weeks since they were validated: per platform the
-- deltas of net and cash, and one line for the commission's delta, each
-- against the frozen figures plus the adjustments already made elsewhere.
CREATE FUNCTION settlement_late_adjustments(p_week date, p_since timestamptz)
RETURNS void
LANGUAGE plpgsql SET client_min_messages = warning AS $$
DECLARE
    t uuid := app_tenant();
    lw record;
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS sc_dirty (settlement_id uuid, driver_id uuid,
        week_start date, target uuid) ON COMMIT DROP;
    TRUNCATE sc_dirty;
    INSERT INTO sc_dirty
    SELECT v.id, v.driver_id, v.week_start, o.id
      FROM settlements v
      JOIN sc_open o ON o.driver_id = v.driver_id
     WHERE v.tenant_id = t AND v.status <> 'brouillon' AND NOT v.payroll
       AND v.week_start >= p_week - 35 AND v.week_start < p_week
       AND NOT EXISTS (SELECT 1 FROM settlements b
                        WHERE b.tenant_id = t AND b.driver_id = v.driver_id
                          AND b.status = 'brouillon'
                          AND b.week_start > v.week_start AND b.week_start < p_week)
       AND (EXISTS (SELECT 1 FROM trips x
                     WHERE x.tenant_id = t AND x.updated_at > p_since
                       AND x.updated_at > v.validated_at AND x.driver_id = v.driver_id
                       AND x.started_at >= (v.week_start::timestamp AT TIME ZONE 'Europe/Paris')
                       AND x.started_at < (((v.week_start + 7)::timestamp + interval '4 hours')
                                           AT TIME ZONE 'Europe/Paris'))
            OR EXISTS (SELECT 1 FROM earnings x
                        WHERE x.tenant_id = t AND x.updated_at > p_since
                          AND x.updated_at > v.validated_at AND x.driver_id = v.driver_id
                          AND x.period_start >= v.week_start
                          AND x.period_start < v.week_start + 7));

    FOR lw IN SELECT DISTINCT d.week_start FROM sc_dirty d LOOP
        CREATE TEMP TABLE IF NOT EXISTS sc_now (driver_id uuid, platform trip_platform,
            source text, period_start timestamptz, period_end timestamptz, net_cents bigint,
            cash_collected_cents bigint, bonuses_cents bigint, tips_cents bigint, rides integer)
            ON COMMIT DROP;
        TRUNCATE sc_now;
        INSERT INTO sc_now
        SELECT * FROM settlement_figures(lw.week_start,
                   (SELECT array_agg(DISTINCT d.driver_id) FROM sc_dirty d
                     WHERE d.week_start = lw.week_start));

        -- Per platform: now, against frozen + already carried elsewhere.
        WITH was AS (
            SELECT d.settlement_id, x.platform, sum(x.net)::bigint AS net,
                   sum(x.cash)::bigint AS cash
              FROM sc_dirty d
              JOIN LATERAL (
                  SELECT p.platform, p.net_cents AS net, p.cash_collected_cents AS cash
                    FROM settlement_platforms p
                   WHERE p.tenant_id = t AND p.settlement_id = d.settlement_id
                  UNION ALL
                  SELECT l.platform, l.net_cents, l.cash_cents FROM settlement_lines l
                   WHERE l.tenant_id = t AND l.for_settlement_id = d.settlement_id
                     AND l.platform IS NOT NULL AND l.settlement_id <> d.target) x ON true
             WHERE d.week_start = lw.week_start
             GROUP BY d.settlement_id, x.platform),
        nowf AS (
            SELECT d.settlement_id, n.platform, n.net_cents AS net,
                   n.cash_collected_cents AS cash
              FROM sc_dirty d JOIN sc_now n ON n.driver_id = d.driver_id
             WHERE d.week_start = lw.week_start),
        delta AS (
            SELECT coalesce(n.settlement_id, w.settlement_id) AS settlement_id,
                   coalesce(n.platform, w.platform) AS platform,
                   coalesce(n.net, 0) - coalesce(w.net, 0) AS dnet,
                   coalesce(n.cash, 0) - coalesce(w.cash, 0) AS dcash
              FROM nowf n FULL JOIN was w
                ON w.settlement_id = n.settlement_id AND w.platform = n.platform)
        INSERT INTO settlement_lines (tenant_id, settlement_id, kind, origin, amount_cents, reason,
                                      for_settlement_id, platform, net_cents, cash_cents)
        SELECT t, d.target, 'ajustement', 'import', x.dnet - x.dcash,
               'Données ' || x.platform || ' reçues après validation de la semaine ' || s.week,
               x.settlement_id, x.platform, x.dnet, x.dcash
          FROM delta x
          JOIN sc_dirty d ON d.settlement_id = x.settlement_id
          JOIN settlements s ON s.tenant_id = t AND s.id = x.settlement_id
         WHERE x.dnet <> 0 OR x.dcash <> 0;

        -- The commission on the week's new totals, against what was taken.
        INSERT INTO settlement_lines (tenant_id, settlement_id, kind, origin, amount_cents, reason,
                                      for_settlement_id, commission_cents)
        SELECT t, c.target, 'ajustement', 'import', -(c.comm - c.taken),
               'Commission recalculée pour la semaine ' || c.week, c.settlement_id,
               c.comm - c.taken
          FROM (SELECT d.settlement_id, d.target, s.week,
                       s.commission_cents + coalesce((SELECT sum(l.commission_cents)
                            FROM settlement_lines l
                           WHERE l.tenant_id = t AND l.for_settlement_id = d.settlement_id
                             AND l.settlement_id <> d.target), 0) AS taken,
                       settlement_commission(coalesce(f.net, 0), coalesce(f.bonuses, 0),
                           coalesce(f.tips, 0), coalesce(f.rides, 0),
                           dr.commission_rate_bp, dr.commission_tips_rate_bp,
                           dr.commission_threshold_cents, dr.per_ride_cents) AS comm
                  FROM sc_dirty d
                  JOIN settlements s ON s.tenant_id = t AND s.id = d.settlement_id
                  JOIN drivers dr ON dr.tenant_id = t AND dr.id = d.driver_id
                  LEFT JOIN (SELECT n.driver_id, sum(n.net_cents)::bigint AS net,
                                    sum(n.bonuses_cents)::bigint AS bonuses,
                                    sum(n.tips_cents)::bigint AS tips,
                                    sum(n.rides)::integer AS rides
                               FROM sc_now n GROUP BY n.driver_id) f
                    ON f.driver_id = d.driver_id
                 WHERE d.week_start = lw.week_start) c
         WHERE c.comm <> c.taken;
    END LOOP;
END
$$;

-- ---- Validating ---------------------------------------------------------------

-- The ledger lines of a settlement (see 0016_finance_ledger.sql), one per
-- account, zero sums left out.
-- (PL/pgSQL rather than SQL: its plan is kept for the session, where a
-- SQL function's would be made again at every call of a validation.)
CREATE FUNCTION settlement_ledger_lines(p_id uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (WITH s AS (SELECT * FROM settlements WHERE tenant_id = app_tenant() AND id = p_id),
    raw (account, amount) AS (
        -- platform money: receivable for what the platform pays, cash held
        -- for what the driver collected, the driver (or payroll) credited
        SELECT 'platform:' || p.platform, p.net_cents - p.cash_collected_cents
          FROM settlement_platforms p, s
         WHERE p.tenant_id = s.tenant_id AND p.settlement_id = s.id
        UNION ALL
        SELECT 'cash_held', s.cash_collected_cents FROM s
        UNION ALL
        SELECT CASE WHEN s.payroll THEN 'payroll_revenue' ELSE 'driver:' || s.driver_id END,
               -s.platform_net_cents FROM s
        -- the cash in the driver's pocket nets against what they are owed
        UNION ALL SELECT 'driver:' || s.driver_id, s.cash_collected_cents FROM s WHERE NOT s.payroll
        UNION ALL SELECT 'cash_held', -s.cash_collected_cents FROM s WHERE NOT s.payroll
        UNION ALL SELECT 'driver:' || s.driver_id, s.rent_cents FROM s WHERE NOT s.payroll
        UNION ALL SELECT 'rent_income', -s.rent_cents FROM s WHERE NOT s.payroll
        UNION ALL SELECT 'driver:' || s.driver_id, s.commission_cents FROM s WHERE NOT s.payroll
        UNION ALL SELECT 'commission_income', -s.commission_cents FROM s WHERE NOT s.payroll
        -- lines: the driver's side, and the other side by kind
        UNION ALL
        SELECT 'driver:' || s.driver_id, -l.amount_cents
          FROM settlement_lines l, s
         WHERE l.tenant_id = s.tenant_id AND l.settlement_id = s.id AND NOT s.payroll
        UNION ALL
        SELECT CASE l.kind
                   WHEN 'amende' THEN 'charges:amende'
                   WHEN 'carburant' THEN 'charges:carburant'
                   WHEN 'franchise' THEN 'charges:franchise'
                   WHEN 'avance' THEN 'bank'
                   WHEN 'caution' THEN 'deposits:' || s.driver_id
                   ELSE 'adjustments' END,
               l.amount_cents
          FROM settlement_lines l, s
         WHERE l.tenant_id = s.tenant_id AND l.settlement_id = s.id AND NOT s.payroll
           AND l.origin <> 'import'
        -- late data: the platform's delta (the cash's nets out as above),
        -- and the commission's
        UNION ALL
        SELECT 'platform:' || l.platform, l.net_cents - l.cash_cents
          FROM settlement_lines l, s
         WHERE l.tenant_id = s.tenant_id AND l.settlement_id = s.id AND NOT s.payroll
           AND l.origin = 'import' AND l.platform IS NOT NULL
        UNION ALL
        SELECT 'commission_income', -l.commission_cents
          FROM settlement_lines l, s
         WHERE l.tenant_id = s.tenant_id AND l.settlement_id = s.id AND NOT s.payroll
           AND l.origin = 'import' AND l.platform IS NULL)
    SELECT coalesce(jsonb_agg(jsonb_build_object('account', account, 'amount_cents', total)
                              ORDER BY account), '[]'::jsonb)
      FROM (SELECT account, sum(amount)::bigint AS total FROM raw
             GROUP BY account HAVING sum(amount) <> 0) x);
END
$$;

-- Filled by the invoices (see the top of this file).
CREATE FUNCTION finance_after_validate(p_settlement uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RETURN;
END
$$;

-- Posts a brouillon settlement as it was computed, under the
-- settlement's row lock and the idempotency key
-- 'settlement:<id>:validate'.  Refused with SQLSTATE FCV01 when it is
-- not brouillon any more, FCV02 when an earlier week of the driver is
-- still open.  Returns the posting's id (NULL when there was nothing to
-- post).  The caller then marks it valide (settlement_freeze, or one
-- statement for a whole week).
CREATE FUNCTION settlement_post(p_id uuid) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    t uuid := app_tenant();
    s settlements;
    l jsonb;
BEGIN
    SELECT * INTO s FROM settlements WHERE tenant_id = t AND id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Relevé inconnu.' USING ERRCODE = 'P0002';
    END IF;
    IF s.status <> 'brouillon' THEN
        RAISE EXCEPTION 'Ce relevé est déjà validé.'
            USING ERRCODE = 'FCV01', CONSTRAINT = 'settlements__status__validated';
    END IF;
    IF EXISTS (SELECT 1 FROM settlements b WHERE b.tenant_id = t AND b.driver_id = s.driver_id
                  AND b.week_start < s.week_start AND b.status = 'brouillon') THEN
        RAISE EXCEPTION 'Une semaine précédente de ce chauffeur n''est pas validée : validez-la d''abord.'
            USING ERRCODE = 'FCV02', CONSTRAINT = 'settlements__week__earlier_open';
    END IF;
    l := settlement_ledger_lines(p_id);
    IF jsonb_array_length(l) < 2 THEN
        RETURN NULL;
    END IF;
    RETURN ledger_post('settlement:' || p_id || ':validate', 'settlement',
                       'Relevé ' || s.week, l, s.week_start + 6);
END
$$;

-- Posts and freezes one settlement, then the invoices' hook.
CREATE FUNCTION settlement_freeze(p_id uuid) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    tx uuid;
BEGIN
    tx := settlement_post(p_id);
    UPDATE settlements SET status = 'valide', validated_at = clock_timestamp(),
           validated_by = app_user(), transaction_id = tx
     WHERE tenant_id = app_tenant() AND id = p_id;
    PERFORM finance_after_validate(p_id);
    RETURN tx;
END
$$;

-- Validating one settlement: its week computed again for its driver
-- (so it is frozen as the data stands), then frozen and posted.
CREATE FUNCTION settlement_validate(p_id uuid) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
    s settlements;
BEGIN
    SELECT * INTO s FROM settlements WHERE tenant_id = app_tenant() AND id = p_id FOR UPDATE;
    IF FOUND AND s.status = 'brouillon' THEN
        PERFORM settlement_compute(s.week_start, s.driver_id);
    END IF;
    RETURN settlement_freeze(p_id);
END
$$;

-- « Tout valider »: the week computed once, then every brouillon of it
-- posted in driver order (those an earlier open week holds back, or that
-- another validation holds locked, are left), marked valide in one
-- statement, and the invoices' hook called for each.  Returns how many
-- were validated.
CREATE FUNCTION settlement_validate_week(p_week date) RETURNS integer
LANGUAGE plpgsql SET client_min_messages = warning AS $$
DECLARE
    t uuid := app_tenant();
    r record;
    n integer;
BEGIN
    PERFORM settlement_compute(p_week);
    CREATE TEMP TABLE IF NOT EXISTS sc_posted (id uuid PRIMARY KEY, tx uuid) ON COMMIT DROP;
    TRUNCATE sc_posted;
    FOR r IN SELECT s.id FROM settlements s
              WHERE s.tenant_id = t AND s.week_start = p_week AND s.status = 'brouillon'
                AND NOT EXISTS (SELECT 1 FROM settlements b
                                 WHERE b.tenant_id = t AND b.driver_id = s.driver_id
                                   AND b.week_start < p_week AND b.status = 'brouillon')
              ORDER BY s.driver_id
                FOR UPDATE OF s SKIP LOCKED LOOP
        INSERT INTO sc_posted VALUES (r.id, settlement_post(r.id));
    END LOOP;
    UPDATE settlements s SET status = 'valide', validated_at = clock_timestamp(),
           validated_by = app_user(), transaction_id = p.tx
      FROM sc_posted p WHERE s.tenant_id = t AND s.id = p.id;
    FOR r IN SELECT id FROM sc_posted ORDER BY id LOOP
        PERFORM finance_after_validate(r.id);
    END LOOP;
    SELECT count(*) INTO n FROM sc_posted;
    RETURN n;
END
$$;

-- ---- Privileges and row-level security -------------------------------------

REVOKE ALL ON FUNCTION settlements_frozen, settlement_parts_frozen FROM PUBLIC;
-- Written only by the functions above (run as the caller, under the
-- policies), the payouts' status change, and the manual lines.
REVOKE DELETE ON settlements FROM fleetcore_app;

ALTER TABLE settlements ENABLE ROW LEVEL SECURITY;
CREATE POLICY settlements_tenant ON settlements
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR driver_id = (SELECT app_driver_id())))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE settlement_platforms ENABLE ROW LEVEL SECURITY;
CREATE POLICY settlement_platforms_tenant ON settlement_platforms
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR settlement_id IN (
               SELECT s.id FROM settlements s WHERE s.driver_id = (SELECT app_driver_id()))))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

ALTER TABLE settlement_lines ENABLE ROW LEVEL SECURITY;
CREATE POLICY settlement_lines_tenant ON settlement_lines
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR settlement_id IN (
               SELECT s.id FROM settlements s WHERE s.driver_id = (SELECT app_driver_id()))))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));
