-- The finance benchmark's data (tests/bench/run-finance): an organisation
-- "bench" with 2 000 active drivers (a third each salaried, renting,
-- on commission), a vehicle each held all of weeks 1 to 3 and 4 days of
-- week 4, and 1 000 000 trips over the 4 weeks from 2026-11-02 (Uber and
-- Bolt; a tenth of the drivers cash-heavy), plus Bolt's weekly earnings
-- for half of the drivers (which then count instead of their Bolt trips).
-- Run as the owner role.
\set ON_ERROR_STOP on
INSERT INTO tenants (name, slug) VALUES ('Bench', 'bench') ON CONFLICT DO NOTHING;
SELECT id AS t FROM tenants WHERE slug = 'bench' \gset

INSERT INTO drivers (tenant_id, first_name, last_name, status, collaboration,
                     weekly_rent_cents, commission_rate_bp, commission_threshold_cents)
SELECT :'t', 'Bench', 'Driver ' || lpad(i::text, 4, '0'), 'actif',
       (ARRAY['salarie', 'location_auto_entrepreneur', 'commission'])[i % 3 + 1]::collaboration_kind,
       CASE WHEN i % 3 = 1 THEN 30000 END, CASE WHEN i % 3 <> 0 THEN 1500 + i % 7 * 100 END,
       CASE WHEN i % 3 = 1 THEN 50000 END
  FROM generate_series(1, 2000) i;

INSERT INTO vehicles (tenant_id, plate, make, model, energy)
SELECT :'t', 'BE-' || lpad(i::text, 4, '0'), 'Toyota', 'Corolla', 'hybride'
  FROM generate_series(1, 2000) i;

INSERT INTO assignments (tenant_id, vehicle_id, driver_id, starts_at, ends_at)
SELECT :'t', v.id, d.id, timestamptz '2026-11-02 00:00 Europe/Paris',
       timestamptz '2026-11-26 12:00 Europe/Paris'
  FROM (SELECT id, row_number() OVER (ORDER BY plate) n FROM vehicles WHERE tenant_id = :'t') v
  JOIN (SELECT id, row_number() OVER (ORDER BY last_name) n FROM drivers WHERE tenant_id = :'t') d
    ON d.n = v.n;

CREATE TEMP TABLE bd AS
SELECT id, row_number() OVER (ORDER BY last_name) - 1 AS n FROM drivers WHERE tenant_id = :'t';

INSERT INTO trips (tenant_id, source, source_key, platform, driver_id, status, started_at,
                   net_earnings_cents, cash_collected_cents, tips_cents, payment_method)
SELECT :'t', 'bench', 'trip-' || g, CASE WHEN g % 3 = 0 THEN 'bolt' ELSE 'uber' END::trip_platform,
       bd.id, 'terminee',
       timestamptz '2026-11-02 00:00 Europe/Paris' + (g::bigint * 2419200 / 1000000) * interval '1 second',
       800 + g % 2500,
       CASE WHEN bd.n % 10 = 0 OR g % 4 = 0 THEN 800 + g % 2500 ELSE 0 END,
       CASE WHEN g % 17 = 0 THEN 200 ELSE 0 END,
       CASE WHEN bd.n % 10 = 0 OR g % 4 = 0 THEN 'especes' ELSE 'carte' END
  FROM generate_series(1, 1000000) g
  JOIN bd ON bd.n = g % 2000;

INSERT INTO earnings (tenant_id, source, source_key, platform, driver_id, period, period_start,
                      period_end, net_cents, cash_collected_cents, bonuses_cents, tips_cents)
SELECT :'t', 'bench', 'week-' || bd.n || '-' || w, 'bolt', bd.id, 'semaine',
       date '2026-11-02' + 7 * w, date '2026-11-02' + 7 * w + 6,
       60000 + bd.n, 10000, 1500, 500
  FROM bd, generate_series(0, 3) w
 WHERE bd.n % 2 = 0;

ANALYZE trips;
ANALYZE earnings;
ANALYZE drivers;
ANALYZE assignments;
