-- The dashboard's aggregates: what the platforms paid per day (Europe/Paris),
-- platform, driver and vehicle, so that the « Tableau de bord » reads a few
-- hundred rows whatever the number of trips.
--
-- The rollup is written only by analytics_rebuild(tenant, days), which
-- recomputes the named days from trips and earnings.  Statement triggers on
-- both tables call it for the days a statement touched (old and new
-- values), so every load path — a file sync, a live run, the « non
-- rapprochés » screen giving a trip its driver — keeps it up to date in its
-- own transaction.
--
-- A day's revenue of a driver on a platform is their trips of that day; a
-- platform that reports only daily earnings (Heetch) counts through its
-- earnings of period 'jour' for the days without trips of that driver and
-- platform.  Weekly and monthly earnings are not spread over days.  A trip's
-- vehicle is the fleet's vehicle of its plate, else the one assigned to its
-- driver when it started; it is fixed when the trip is loaded.

CREATE TABLE analytics_daily (
    tenant_id        uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    day              date NOT NULL,
    platform         trip_platform NOT NULL,
    driver_id        uuid,
    vehicle_id       uuid,
    gross_cents      bigint NOT NULL,
    net_cents        bigint NOT NULL,
    cash_cents       bigint NOT NULL,
    trips_done       integer NOT NULL,
    trips_cancelled  integer NOT NULL,
    CONSTRAINT analytics_daily__key__key
        UNIQUE NULLS NOT DISTINCT (tenant_id, day, platform, driver_id, vehicle_id)
);
CREATE INDEX analytics_daily__driver__idx ON analytics_daily (tenant_id, driver_id, day);

ALTER TABLE analytics_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY analytics_daily_tenant ON analytics_daily FOR SELECT
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR driver_id = (SELECT app_driver_id())));
REVOKE INSERT, UPDATE, DELETE ON analytics_daily FROM fleetcore_app;

CREATE FUNCTION analytics_rebuild(p_tenant uuid, p_days date[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF p_tenant IS NULL OR coalesce(cardinality(p_days), 0) = 0 THEN
        RETURN;
    END IF;
    -- Two imports of one organisation rebuild one after the other: the
    -- second's statements start after the first committed and see its rows.
    PERFORM pg_advisory_xact_lock(hashtext('analytics_daily'), hashtext(p_tenant::text));
    DELETE FROM analytics_daily WHERE tenant_id = p_tenant AND day = ANY (p_days);
    INSERT INTO analytics_daily (tenant_id, day, platform, driver_id, vehicle_id, gross_cents,
                                 net_cents, cash_cents, trips_done, trips_cancelled)
    WITH d AS (SELECT DISTINCT x AS day FROM unnest(p_days) x WHERE x IS NOT NULL),
    t AS (
        SELECT d.day, t.platform, t.driver_id, coalesce(vp.id, va.vehicle_id) AS vehicle_id,
               coalesce(t.gross_fare_cents, 0) AS gross, coalesce(t.net_earnings_cents, 0) AS net,
               coalesce(t.cash_collected_cents,
                        CASE WHEN t.payment_method = 'especes' THEN t.gross_fare_cents END,
                        0) AS cash,
               (t.status = 'terminee')::int AS done, (t.status = 'annulee')::int AS cancelled
          FROM d
          JOIN trips t ON t.tenant_id = p_tenant
                      AND t.started_at >= (d.day::timestamp AT TIME ZONE 'Europe/Paris')
                      AND t.started_at < ((d.day + 1)::timestamp AT TIME ZONE 'Europe/Paris')
          LEFT JOIN vehicles vp ON vp.tenant_id = p_tenant AND vp.plate = t.vehicle_plate
          LEFT JOIN LATERAL (
              SELECT a.vehicle_id FROM assignments a
               WHERE a.tenant_id = p_tenant AND a.driver_id = t.driver_id
                 AND a.starts_at <= t.started_at
                 AND (a.ends_at IS NULL OR a.ends_at > t.started_at)
               LIMIT 1) va ON vp.id IS NULL
    ),
    e AS (
        SELECT e.period_start AS day, e.platform, e.driver_id, va.vehicle_id,
               coalesce(e.gross_cents, 0) AS gross, coalesce(e.net_cents, 0) AS net,
               coalesce(e.cash_collected_cents, 0) AS cash,
               coalesce(e.rides_done, 0) AS done, coalesce(e.rides_cancelled, 0) AS cancelled
          FROM d
          JOIN earnings e ON e.tenant_id = p_tenant AND e.period = 'jour'
                         AND e.period_start = d.day
          LEFT JOIN LATERAL (
              SELECT a.vehicle_id FROM assignments a
               WHERE a.tenant_id = p_tenant AND a.driver_id = e.driver_id
                 AND a.starts_at < ((d.day + 1)::timestamp AT TIME ZONE 'Europe/Paris')
                 AND (a.ends_at IS NULL
                      OR a.ends_at > (d.day::timestamp AT TIME ZONE 'Europe/Paris'))
               ORDER BY a.starts_at DESC LIMIT 1) va ON true
         WHERE NOT EXISTS (
              SELECT 1 FROM t WHERE t.day = e.period_start AND t.platform = e.platform
                 AND t.driver_id IS NOT DISTINCT FROM e.driver_id)
    )
    SELECT p_tenant, day, platform, driver_id, vehicle_id, sum(gross), sum(net), sum(cash),
           sum(done), sum(cancelled)
      FROM (SELECT * FROM t UNION ALL SELECT * FROM e) x
     GROUP BY day, platform, driver_id, vehicle_id;
END
$$;

-- The days of the rows a statement wrote, before and after.  A branch's
-- statement is planned only when it runs, so each names only the
-- transition tables its operation has.
CREATE FUNCTION analytics_trips_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        FOR r IN SELECT tenant_id, array_agg(DISTINCT (started_at AT TIME ZONE 'Europe/Paris')::date) AS days
                   FROM changed_new WHERE started_at IS NOT NULL GROUP BY tenant_id LOOP
            PERFORM analytics_rebuild(r.tenant_id, r.days);
        END LOOP;
    ELSIF TG_OP = 'DELETE' THEN
        FOR r IN SELECT tenant_id, array_agg(DISTINCT (started_at AT TIME ZONE 'Europe/Paris')::date) AS days
                   FROM changed_old WHERE started_at IS NOT NULL GROUP BY tenant_id LOOP
            PERFORM analytics_rebuild(r.tenant_id, r.days);
        END LOOP;
    ELSE
        FOR r IN SELECT tenant_id, array_agg(DISTINCT (started_at AT TIME ZONE 'Europe/Paris')::date) AS days
                   FROM (SELECT tenant_id, started_at FROM changed_new
                         UNION ALL SELECT tenant_id, started_at FROM changed_old) c
                  WHERE started_at IS NOT NULL GROUP BY tenant_id LOOP
            PERFORM analytics_rebuild(r.tenant_id, r.days);
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION analytics_earnings_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        FOR r IN SELECT tenant_id, array_agg(DISTINCT period_start) AS days FROM changed_new
                  WHERE period = 'jour' GROUP BY tenant_id LOOP
            PERFORM analytics_rebuild(r.tenant_id, r.days);
        END LOOP;
    ELSIF TG_OP = 'DELETE' THEN
        FOR r IN SELECT tenant_id, array_agg(DISTINCT period_start) AS days FROM changed_old
                  WHERE period = 'jour' GROUP BY tenant_id LOOP
            PERFORM analytics_rebuild(r.tenant_id, r.days);
        END LOOP;
    ELSE
        FOR r IN SELECT tenant_id, array_agg(DISTINCT period_start) AS days
                   FROM (SELECT tenant_id, period, period_start FROM changed_new
                         UNION ALL SELECT tenant_id, period, period_start FROM changed_old) c
                  WHERE period = 'jour' GROUP BY tenant_id LOOP
            PERFORM analytics_rebuild(r.tenant_id, r.days);
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER analytics_trips_insert AFTER INSERT ON trips
    REFERENCING NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_trips_changed();
CREATE TRIGGER analytics_trips_update AFTER UPDATE ON trips
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_trips_changed();
CREATE TRIGGER analytics_trips_delete AFTER DELETE ON trips
    REFERENCING OLD TABLE AS changed_old
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_trips_changed();
CREATE TRIGGER analytics_earnings_insert AFTER INSERT ON earnings
    REFERENCING NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_earnings_changed();
CREATE TRIGGER analytics_earnings_update AFTER UPDATE ON earnings
    REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_earnings_changed();
CREATE TRIGGER analytics_earnings_delete AFTER DELETE ON earnings
    REFERENCING OLD TABLE AS changed_old
    FOR EACH STATEMENT EXECUTE FUNCTION analytics_earnings_changed();

-- What was loaded before this migration.
SELECT analytics_rebuild(tenant_id, array_agg(DISTINCT day))
  FROM (SELECT tenant_id, (started_at AT TIME ZONE 'Europe/Paris')::date AS day
          FROM trips WHERE started_at IS NOT NULL
        UNION SELECT tenant_id, period_start FROM earnings WHERE period = 'jour') x
 GROUP BY tenant_id;

-- The ten indicators of a period [p_from, p_to] (days in Europe/Paris),
-- read under the reader's row-level security.  Definitions:
--   gross/net revenue, cash held: the rollup's sums (cash: what drivers
--     collected in cash, which they hold until the settlement);
--   trips done; cancellation rate: cancelled ÷ (done + cancelled), null
--     when there is neither;
--   active drivers / vehicles: those with at least one trip done;
--   revenue per driver: gross ÷ active drivers, rounded, null without any;
--   vehicle utilisation: vehicle-days with a trip done ÷ vehicle-days
--     available (vehicles in service — not archived, not « hors service »
--     — times the days of the period), null without vehicles;
--   documents due: current documents expired or to renew on the period's
--     last day (today when the period ends later).
CREATE FUNCTION analytics_kpis(p_from date, p_to date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    WITH r AS (
        SELECT * FROM analytics_daily
         WHERE tenant_id = (SELECT app_tenant()) AND day BETWEEN p_from AND p_to
    ), s AS (
        SELECT coalesce(sum(gross_cents), 0)::bigint AS gross,
               coalesce(sum(net_cents), 0)::bigint AS net,
               coalesce(sum(cash_cents), 0)::bigint AS cash,
               coalesce(sum(trips_done), 0)::bigint AS done,
               coalesce(sum(trips_cancelled), 0)::bigint AS cancelled,
               count(DISTINCT driver_id) FILTER (WHERE trips_done > 0) AS drivers,
               count(DISTINCT vehicle_id) FILTER (WHERE trips_done > 0) AS vehicles,
               count(DISTINCT (vehicle_id, day)) FILTER (WHERE trips_done > 0
                   AND vehicle_id IS NOT NULL) AS vehicle_days
          FROM r
    ), fleet AS (
        SELECT count(*) * (p_to - p_from + 1) AS days FROM vehicles
         WHERE archived_at IS NULL AND status NOT IN ('hors_service', 'archive')
    ), due AS (
        SELECT count(*) AS n FROM documents
         WHERE superseded_by IS NULL AND expires_on IS NOT NULL
           AND document_state(tenant_id, type, expires_on,
                              least(p_to, (now() AT TIME ZONE 'Europe/Paris')::date))
               IN ('expire', 'a_renouveler')
    )
    SELECT jsonb_build_object(
        'gross_revenue_cents', s.gross,
        'net_revenue_cents', s.net,
        'trips_done', s.done,
        'cancellation_rate', CASE WHEN s.done + s.cancelled = 0 THEN NULL
                                  ELSE round(s.cancelled::numeric / (s.done + s.cancelled), 4) END,
        'active_drivers', s.drivers,
        'active_vehicles', s.vehicles,
        'revenue_per_driver_cents', CASE WHEN s.drivers = 0 THEN NULL
                                         ELSE round(s.gross::numeric / s.drivers)::bigint END,
        'vehicle_utilisation', CASE WHEN fleet.days = 0 THEN NULL
                                    ELSE round(s.vehicle_days::numeric / fleet.days, 4) END,
        'cash_held_cents', s.cash,
        'documents_due', due.n)
      FROM s, fleet, due
$$;

-- The overview of a period against the one before it (the previous week,
-- month, or range of the same length, as the caller says): the
-- indicators, revenue by day and platform, the platforms' split, the top
-- ten drivers and the vehicles whose costs (their events' costs and their
-- monthly cost prorated by days, 12/365 of it a day) exceed their revenue.
CREATE FUNCTION analytics_overview(p_from date, p_to date, p_prev_from date, p_prev_to date)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
    WITH r AS (
        SELECT * FROM analytics_daily
         WHERE tenant_id = (SELECT app_tenant()) AND day BETWEEN p_from AND p_to
    ), prev AS (
        SELECT p_prev_from AS from_, p_prev_to AS to_
    ), vrev AS (
        SELECT vehicle_id, sum(gross_cents) AS gross FROM r
         WHERE vehicle_id IS NOT NULL GROUP BY vehicle_id
    ), vcost AS (
        SELECT v.id, v.plate, v.make, v.model, coalesce(vrev.gross, 0) AS revenue,
               coalesce((SELECT sum(ev.cost_cents) FROM vehicle_events ev
                          WHERE ev.tenant_id = v.tenant_id AND ev.vehicle_id = v.id
                            AND ev.occurred_at >= (p_from::timestamp AT TIME ZONE 'Europe/Paris')
                            AND ev.occurred_at < ((p_to + 1)::timestamp AT TIME ZONE 'Europe/Paris')),
                        0) AS events,
               round(coalesce(v.monthly_cost_cents, 0) * 12 * (p_to - p_from + 1) / 365.0)::bigint
                   AS rent
          FROM vehicles v LEFT JOIN vrev ON vrev.vehicle_id = v.id
         WHERE v.archived_at IS NULL
    )
    SELECT jsonb_build_object(
        'from', p_from, 'to', p_to,
        'previous_from', prev.from_, 'previous_to', prev.to_,
        'kpis', analytics_kpis(p_from, p_to),
        'previous', analytics_kpis(prev.from_, prev.to_),
        'by_day', coalesce((
            SELECT jsonb_agg(jsonb_build_object('date', day, 'platform', platform,
                       'gross_cents', gross, 'net_cents', net, 'trips', trips)
                       ORDER BY day, platform)
              FROM (SELECT day, platform, sum(gross_cents)::bigint AS gross,
                           sum(net_cents)::bigint AS net, sum(trips_done)::bigint AS trips
                      FROM r GROUP BY day, platform) d), '[]'),
        'by_platform', coalesce((
            SELECT jsonb_agg(jsonb_build_object('platform', platform, 'gross_cents', gross,
                       'trips', trips) ORDER BY gross DESC, platform)
              FROM (SELECT platform, sum(gross_cents)::bigint AS gross,
                           sum(trips_done)::bigint AS trips
                      FROM r GROUP BY platform) p), '[]'),
        'top_drivers', coalesce((
            SELECT jsonb_agg(jsonb_build_object('driver_id', t.driver_id,
                       'name', dr.first_name || ' ' || dr.last_name,
                       'gross_cents', t.gross, 'trips', t.trips) ORDER BY t.gross DESC, t.driver_id)
              FROM (SELECT driver_id, sum(gross_cents)::bigint AS gross,
                           sum(trips_done)::bigint AS trips
                      FROM r WHERE driver_id IS NOT NULL GROUP BY driver_id
                     ORDER BY gross DESC, driver_id LIMIT 10) t
              JOIN drivers dr ON dr.id = t.driver_id), '[]'),
        'losing_vehicles', coalesce((
            SELECT jsonb_agg(jsonb_build_object('vehicle_id', id, 'plate', plate,
                       'name', make || ' ' || model, 'revenue_cents', revenue,
                       'costs_cents', events + rent, 'margin_cents', revenue - events - rent)
                       ORDER BY revenue - events - rent, plate)
              FROM (SELECT * FROM vcost WHERE revenue - events - rent < 0
                     ORDER BY revenue - events - rent, plate LIMIT 10) l), '[]'))
      FROM prev
$$;

GRANT SELECT ON analytics_daily TO fleetcore_app;
REVOKE ALL ON FUNCTION analytics_rebuild, analytics_trips_changed, analytics_earnings_changed
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION analytics_kpis, analytics_overview TO fleetcore_app;

-- The driver portal's numbers for the signed-in driver (app_driver_id(),
-- and row-level security besides): the week from p_monday by day and
-- platform with the time online and busy a live source logged, the last
-- eight weeks, the last six months, the latest trips,
-- the latest statements and what validated statements leave owed.
CREATE FUNCTION portal_summary(p_monday date) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    WITH r AS (
        SELECT * FROM analytics_daily
         WHERE tenant_id = (SELECT app_tenant()) AND driver_id = (SELECT app_driver_id())
           AND day >= least(p_monday - 49, date_trunc('month', p_monday)::date - interval '5 months')
           AND day <= p_monday + 6
    )
    SELECT jsonb_build_object(
        'by_day', coalesce((
            SELECT jsonb_agg(jsonb_build_object('date', day, 'platform', platform,
                       'gross_cents', g, 'net_cents', n, 'trips', t) ORDER BY day, platform)
              FROM (SELECT day, platform, sum(gross_cents)::bigint g, sum(net_cents)::bigint n,
                           sum(trips_done)::bigint t
                      FROM r WHERE day BETWEEN p_monday AND p_monday + 6 GROUP BY 1, 2) d), '[]'),
        'weeks', coalesce((
            SELECT jsonb_agg(jsonb_build_object('week', to_char(w, 'IYYY-"W"IW'), 'start', w,
                       'gross_cents', g, 'net_cents', n, 'trips', t) ORDER BY w DESC)
              FROM (SELECT date_trunc('week', day)::date w, sum(gross_cents)::bigint g,
                           sum(net_cents)::bigint n, sum(trips_done)::bigint t
                      FROM r WHERE day >= p_monday - 49 GROUP BY 1) x), '[]'),
        'months', coalesce((
            SELECT jsonb_agg(jsonb_build_object('month', to_char(m, 'YYYY-MM'),
                       'gross_cents', g, 'net_cents', n, 'trips', t) ORDER BY m DESC)
              FROM (SELECT date_trunc('month', day)::date m, sum(gross_cents)::bigint g,
                           sum(net_cents)::bigint n, sum(trips_done)::bigint t
                      FROM r WHERE day >= date_trunc('month', p_monday) - interval '5 months'
                     GROUP BY 1) x), '[]'),
        'trips', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                       'day', (started_at AT TIME ZONE 'Europe/Paris')::date,
                       'time', to_char(started_at AT TIME ZONE 'Europe/Paris', 'HH24:MI'),
                       'platform', platform,
                       'status', status, 'payment_method', payment_method,
                       'gross_cents', gross_fare_cents, 'net_cents', net_earnings_cents)
                       ORDER BY started_at DESC)
              FROM (SELECT * FROM trips
                     WHERE tenant_id = (SELECT app_tenant()) AND driver_id = (SELECT app_driver_id())
                       AND started_at IS NOT NULL
                     ORDER BY started_at DESC LIMIT 20) t), '[]'),
        'statements', coalesce((
            SELECT jsonb_agg(jsonb_build_object('id', id, 'week', week, 'week_start', week_start,
                       'status', status, 'amount_due_cents', amount_due_cents)
                       ORDER BY week_start DESC)
              FROM (SELECT * FROM settlements
                     WHERE tenant_id = (SELECT app_tenant()) AND driver_id = (SELECT app_driver_id())
                     ORDER BY week_start DESC LIMIT 12) s), '[]'),
        'online', (SELECT jsonb_build_object('online_seconds', sum(online_seconds),
                                             'busy_seconds', sum(busy_seconds))
                     FROM driver_activity_days
                    WHERE tenant_id = (SELECT app_tenant()) AND driver_id = (SELECT app_driver_id())
                      AND day BETWEEN p_monday AND p_monday + 6
                   HAVING count(*) > 0),
        'balance_cents', (SELECT coalesce(sum(amount_due_cents), 0) FROM settlements
                           WHERE tenant_id = (SELECT app_tenant())
                             AND driver_id = (SELECT app_driver_id()) AND status = 'valide'))
$$;
GRANT EXECUTE ON FUNCTION portal_summary TO fleetcore_app;
