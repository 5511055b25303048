-- The search box of the vehicles and drivers lists, through trigram
-- indexes.
--
-- Under row-level security PostgreSQL applies a policy before any
-- condition that is not leakproof, and LIKE is not: a search scanned every
-- row of the organisation with four ILIKE (18 ms for 10 000 vehicles),
-- whatever the index.  These functions run as the tables' owner, where the
-- index serves, and apply the organisation's rule themselves; the lists
-- keep their policies and only narrow their rows to the ids returned.
-- p_pattern is the user's text with LIKE's % and _ escaped.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX vehicles__search__idx ON vehicles USING gin (tenant_id,
    lower(plate || ' ' || make || ' ' || model || ' ' || coalesce(vin, '')) gin_trgm_ops);

-- A name matches first name then last name or the other way round.
CREATE INDEX drivers__search__idx ON drivers USING gin (tenant_id,
    lower(first_name || ' ' || last_name || ' ' || last_name || ' ' || first_name
          || ' ' || coalesce(email, '')) gin_trgm_ops);
CREATE INDEX drivers__phone__idx ON drivers USING gin (tenant_id, phone gin_trgm_ops);

CREATE FUNCTION vehicles_matching(p_pattern text) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT v.id FROM vehicles v
     WHERE v.tenant_id = app_tenant() AND NOT app_is_driver()
       AND lower(v.plate || ' ' || v.make || ' ' || v.model || ' ' || coalesce(v.vin, ''))
           LIKE '%' || lower(p_pattern) || '%'
$$;

-- p_digits: the phone number's digits without the leading 0, or '' when
-- the search is not a phone number.
CREATE FUNCTION drivers_matching(p_pattern text, p_digits text) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT d.id FROM drivers d
     WHERE d.tenant_id = app_tenant() AND NOT app_is_driver()
       AND lower(d.first_name || ' ' || d.last_name || ' ' || d.last_name || ' ' || d.first_name
                 || ' ' || coalesce(d.email, '')) LIKE '%' || lower(p_pattern) || '%'
    UNION
    SELECT d.id FROM drivers d
     WHERE p_digits <> '' AND d.tenant_id = app_tenant() AND NOT app_is_driver()
       AND d.phone LIKE '%' || p_digits || '%'
$$;

REVOKE ALL ON FUNCTION vehicles_matching, drivers_matching FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vehicles_matching, drivers_matching TO fleetcore_app;
