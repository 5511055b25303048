-- 10 000 vehicles and 20 000 drivers in one tenant, deterministic.
INSERT INTO tenants (name, slug) VALUES ('Banc d''essai', 'bench') ON CONFLICT (slug) DO NOTHING;

WITH t AS (SELECT id FROM tenants WHERE slug = 'bench'),
     l AS (SELECT 'ABCDEFGHJKLMNPQRSTVWXYZ'::text AS a)
INSERT INTO vehicles (tenant_id, plate, make, model, year, energy, category, status, odometer_km,
                      monthly_cost_cents)
SELECT t.id,
       substr(l.a, 1 + (i / 23 / 23 / 899) % 23, 1) || substr(l.a, 1 + (i / 899 / 23) % 23, 1) || '-' ||
       lpad((100 + i % 899)::text, 3, '0') || '-' ||
       substr(l.a, 1 + (i / 899) % 23, 1) || substr(l.a, 1 + (i * 7) % 23, 1),
       (ARRAY['Toyota', 'Tesla', 'Skoda', 'Mercedes', 'Peugeot', 'Kia', 'Hyundai', 'Renault'])[1 + i % 8],
       (ARRAY['Corolla', 'Model 3', 'Octavia', 'Classe E', '508', 'Niro', 'Ioniq', 'Zoe'])[1 + i % 8],
       2015 + i % 10,
       (ARRAY['hybride', 'electrique', 'diesel', 'essence', 'hybride_rechargeable', 'gpl'])[1 + i % 6]::vehicle_energy,
       (ARRAY['berline', 'van', 'green', 'luxe', 'autre'])[1 + i % 5]::vehicle_category,
       (ARRAY['actif', 'actif', 'actif', 'maintenance', 'hors_service'])[1 + i % 5]::vehicle_status,
       (i * 37) % 300000,
       30000 + (i % 50) * 1000
FROM t, l, generate_series(0, 9999) i
ON CONFLICT DO NOTHING;

WITH t AS (SELECT id FROM tenants WHERE slug = 'bench')
INSERT INTO drivers (tenant_id, first_name, last_name, email, phone, status)
SELECT t.id,
       (ARRAY['Karim', 'Sophie', 'Moussa', 'Julie', 'Mehdi', 'Claire', 'Yanis', 'Inès'])[1 + i % 8],
       'Chauffeur' || i,
       'chauffeur' || i || '@bench.test',
       '+336' || lpad(i::text, 8, '0'),
       (ARRAY['actif', 'actif', 'candidat', 'suspendu', 'parti'])[1 + i % 5]::driver_status
FROM t, generate_series(0, 19999) i
ON CONFLICT DO NOTHING;

ANALYZE vehicles;
ANALYZE drivers;
