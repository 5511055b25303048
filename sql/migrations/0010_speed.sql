-- Speed of every request and of the fleet lists.
--
-- Every row-level-security policy asks app_is_driver().  As a SQL
-- function it is planned again in every statement that calls it
-- (0.13 ms, more than a list page's own query); in PL/pgSQL its query
-- plan is kept for the session.  Same answers, same rules.
CREATE OR REPLACE FUNCTION app_is_driver() RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM memberships m
                    WHERE m.tenant_id = app_tenant() AND m.user_id = app_user()
                      AND m.role = 'driver');
END
$$;

CREATE OR REPLACE FUNCTION app_driver_id() RETURNS uuid
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT d.id FROM drivers d
             WHERE d.tenant_id = app_tenant() AND d.user_id = app_user());
END
$$;

-- The number of vehicles and drivers an unfiltered list shows (those not
-- archived), kept by the triggers below, so that a list page does not
-- count the whole fleet under the policies at every request.  Filtered
-- lists still count their rows.
CREATE TABLE list_totals (
    tenant_id  uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    list       text NOT NULL CHECK (list IN ('vehicles', 'drivers')),
    total      bigint NOT NULL CHECK (total >= 0),
    PRIMARY KEY (tenant_id, list)
);

ALTER TABLE list_totals ENABLE ROW LEVEL SECURITY;
CREATE POLICY list_totals_tenant ON list_totals FOR SELECT
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));
REVOKE INSERT, UPDATE, DELETE ON list_totals FROM fleetcore_app;

-- Adds what a statement changed, per organisation; new_rows and old_rows
-- are the statement's transition tables, TG_ARGV[0] names the list.  A
-- delete only subtracts: when an organisation is deleted, its totals
-- may already be gone with it.  Concurrent writers of one
-- organisation's vehicles (or drivers) wait for each other at the
-- total's row until commit.
CREATE FUNCTION list_totals_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO list_totals (tenant_id, list, total)
        SELECT n.tenant_id, TG_ARGV[0], count(*) FROM new_rows n
         WHERE n.archived_at IS NULL GROUP BY n.tenant_id
        ON CONFLICT (tenant_id, list)
            DO UPDATE SET total = list_totals.total + excluded.total;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE list_totals l SET total = l.total - o.n
          FROM (SELECT tenant_id, count(*) AS n FROM old_rows
                 WHERE archived_at IS NULL GROUP BY tenant_id) o
         WHERE l.tenant_id = o.tenant_id AND l.list = TG_ARGV[0];
    ELSE
        UPDATE list_totals l SET total = l.total + c.n
          FROM (SELECT tenant_id, sum(n) AS n FROM (
                  SELECT tenant_id, 1 AS n FROM new_rows WHERE archived_at IS NULL
                  UNION ALL
                  SELECT tenant_id, -1 FROM old_rows WHERE archived_at IS NULL) x
                 GROUP BY tenant_id) c
         WHERE l.tenant_id = c.tenant_id AND l.list = TG_ARGV[0] AND c.n <> 0;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION list_totals_apply FROM PUBLIC;

-- A transition table serves one event only: three triggers per table.
CREATE TRIGGER vehicles_totals_insert AFTER INSERT ON vehicles
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION list_totals_apply('vehicles');
CREATE TRIGGER vehicles_totals_update AFTER UPDATE ON vehicles
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION list_totals_apply('vehicles');
CREATE TRIGGER vehicles_totals_delete AFTER DELETE ON vehicles
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION list_totals_apply('vehicles');
CREATE TRIGGER drivers_totals_insert AFTER INSERT ON drivers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION list_totals_apply('drivers');
CREATE TRIGGER drivers_totals_update AFTER UPDATE ON drivers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION list_totals_apply('drivers');
CREATE TRIGGER drivers_totals_delete AFTER DELETE ON drivers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION list_totals_apply('drivers');

INSERT INTO list_totals (tenant_id, list, total)
SELECT tenant_id, 'vehicles', count(*) FROM vehicles
 WHERE archived_at IS NULL GROUP BY tenant_id;
INSERT INTO list_totals (tenant_id, list, total)
SELECT tenant_id, 'drivers', count(*) FROM drivers
 WHERE archived_at IS NULL GROUP BY tenant_id;

-- A session's last_seen_at and a token's last_used_at are written at most
-- once a minute; when that minute comes, concurrent requests with the same
-- session or token waited for the first one's row lock until its request
-- ended (a queue of every request behind one, seen as a p99 of 0.75 s for
-- an API client with 64 connections).  A request that finds the row
-- locked now leaves the write to the one that holds it.
CREATE OR REPLACE FUNCTION auth_session(p_hash bytea, p_idle interval)
RETURNS TABLE (session_id uuid, user_id uuid, user_name text, email text,
               locale text, tenant_id uuid, tenant_name text, tenant_slug text,
               role member_role, csrf_token text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE sessions s SET last_seen_at = now()
     WHERE s.id = (SELECT x.id FROM sessions x
                    WHERE x.token_hash = p_hash
                      AND x.last_seen_at < now() - interval '1 minute'
                      AND x.last_seen_at > now() - p_idle AND x.expires_at > now()
                      FOR UPDATE SKIP LOCKED);
    RETURN QUERY
    SELECT s.id, u.id, u.name, u.email, u.locale, t.id, t.name, t.slug, m.role, s.csrf_token
      FROM sessions s
      JOIN users u ON u.id = s.user_id AND u.disabled_at IS NULL
      JOIN tenants t ON t.id = s.tenant_id
      JOIN memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id
     WHERE s.token_hash = p_hash AND s.expires_at > now()
       AND s.last_seen_at > now() - p_idle;
END
$$;

CREATE OR REPLACE FUNCTION auth_token(p_hash bytea)
RETURNS TABLE (token_id uuid, scope token_scope, user_id uuid, user_name text,
               email text, locale text, tenant_id uuid, tenant_name text,
               tenant_slug text, role member_role)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE api_tokens a SET last_used_at = now()
     WHERE a.id = (SELECT x.id FROM api_tokens x
                    WHERE x.token_hash = p_hash
                      AND (x.last_used_at IS NULL
                           OR x.last_used_at < now() - interval '1 minute')
                      FOR UPDATE SKIP LOCKED);
    RETURN QUERY
    SELECT a.id, a.scope, u.id, u.name, u.email, u.locale, t.id, t.name, t.slug, m.role
      FROM api_tokens a
      JOIN users u ON u.id = a.created_by AND u.disabled_at IS NULL
      JOIN tenants t ON t.id = a.tenant_id
      JOIN memberships m ON m.tenant_id = a.tenant_id AND m.user_id = a.created_by
     WHERE a.token_hash = p_hash AND a.revoked_at IS NULL
       AND (a.expires_at IS NULL OR a.expires_at > now());
END
$$;
