-- Scheduled syncs of sources that fetch their file (config.url): the job
-- runner's tick starts a run (trigger 'schedule') of every source in
-- « mode automatique » whose next_sync_at has come.
--
-- The runner connects as the application role, for which row-level
-- security hides every tenant until app.tenant_id is set.  As for the
-- documents' daily refresh (0004), this SECURITY DEFINER function only
-- names the due sources and their organisation; the runner then claims
-- each one under its tenant, with row-level security in force, in one
-- transaction: advance next_sync_at (only if it is still due: a second
-- runner ticking at the same moment waits on the row and then finds it
-- not due any more), record the run, enqueue its job.  A source with a
-- run in progress is not named: it stays due and is taken at a later
-- tick, after the run (one run per source at a time, which the unique
-- index sync_runs__source_id__running also enforces).
CREATE FUNCTION sources_sync_due(p_limit integer)
RETURNS TABLE (tenant_id uuid, source_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT s.tenant_id, s.id FROM sources s
     WHERE s.auto_mode AND s.schedule <> 'manuel'
       AND s.next_sync_at <= now()
       AND s.paused_at IS NULL AND s.archived_at IS NULL
       AND coalesce(s.config->>'url', '') <> ''
       AND NOT EXISTS (SELECT 1 FROM sync_runs r
                        WHERE r.tenant_id = s.tenant_id AND r.source_id = s.id
                          AND r.status = 'en_cours')
     ORDER BY s.next_sync_at, s.id
     LIMIT p_limit
$$;
REVOKE ALL ON FUNCTION sources_sync_due FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sources_sync_due TO fleetcore_app;

-- What the tick scans every few seconds: the few sources in automatic
-- mode with a schedule.
CREATE INDEX sources__next_sync__idx ON sources (next_sync_at)
    WHERE auto_mode AND schedule <> 'manuel';
