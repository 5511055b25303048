-- Documents and assignments: what the application needs beyond 0003's
-- tables (renewals, listing indexes, the daily refresh of expiry states
-- and the runner's daily schedule).

-- ---- Renewals ----------------------------------------------------------
--
-- A renewed document (same owner, same type) supersedes the previous one:
-- superseded_by points at the newer row of the same tenant.  The pointer
-- is written before the newer row exists (the older row must leave the
-- "current" indexes below first), hence a deferred check.
ALTER TABLE documents ADD CONSTRAINT documents__superseded_by__fkey
    FOREIGN KEY (tenant_id, superseded_by) REFERENCES documents (tenant_id, id)
    DEFERRABLE INITIALLY DEFERRED;

-- One current document per owner and type, so that two uploads racing to
-- renew the same document cannot both win.  "autre" is the exception: an
-- owner may keep several unrelated miscellaneous documents.
CREATE UNIQUE INDEX documents__type__vehicle_current ON documents (tenant_id, vehicle_id, type)
    WHERE superseded_by IS NULL AND vehicle_id IS NOT NULL AND type <> 'autre';
CREATE UNIQUE INDEX documents__type__driver_current ON documents (tenant_id, driver_id, type)
    WHERE superseded_by IS NULL AND driver_id IS NOT NULL AND type <> 'autre';

-- A vehicle's or a driver's documents, newest first (and the foreign keys'
-- cascades).
CREATE INDEX documents__vehicle__idx ON documents (tenant_id, vehicle_id, created_at DESC)
    WHERE vehicle_id IS NOT NULL;
CREATE INDEX documents__driver__idx ON documents (tenant_id, driver_id, created_at DESC)
    WHERE driver_id IS NOT NULL;

-- ---- Daily refresh of expiry states ------------------------------------
--
-- The trigger documents_state computes a state when a document changes;
-- time passing changes nothing in the row, so the job runner recomputes
-- once a day (job kind documents_refresh).  The runner connects as the
-- application role, for which row-level security hides every tenant until
-- app.tenant_id is set.  Rather than one SECURITY DEFINER function that
-- rewrites every tenant's rows with the owner's rights, this function
-- only names the organisations that have a stale state; the job then
-- updates each one in its own transaction under its tenant, with row-level
-- security in force (a mistake in the job's UPDATE cannot reach another
-- tenant, one tenant's failure does not undo the others, and the work is
-- split the way a sharded database would split it).
CREATE FUNCTION documents_refresh_tenants(p_today date) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT DISTINCT d.tenant_id FROM documents d
     WHERE d.superseded_by IS NULL
       AND d.state IS DISTINCT FROM document_state(d.tenant_id, d.type, d.expires_on, p_today)
     ORDER BY 1
$$;
REVOKE ALL ON FUNCTION documents_refresh_tenants FROM PUBLIC;
GRANT EXECUTE ON FUNCTION documents_refresh_tenants TO fleetcore_app;

-- ---- Daily schedule of the job runner -----------------------------------
--
-- A job the runner schedules for a day carries {"scheduled_day": "YYYY-MM-DD"}
-- (Europe/Paris); at most one per kind and day, however many runners tick.
CREATE UNIQUE INDEX jobs__scheduled_day__key ON jobs (kind, (payload->>'scheduled_day'))
    WHERE payload ? 'scheduled_day';
