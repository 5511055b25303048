-- The platform: privileges of the application role, and the job queue.
--
-- Migrations run as the owner role (fleetcore_owner), which owns every
-- table.  The application role (fleetcore_app) owns nothing, has no
-- BYPASSRLS, and receives only the privileges granted here, so row-level
-- security applies to it on every tenant-owned table.

GRANT USAGE ON SCHEMA public TO fleetcore_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO fleetcore_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO fleetcore_app;
GRANT SELECT ON schema_migrations TO fleetcore_app;

CREATE TYPE job_status AS ENUM ('queued', 'running', 'succeeded', 'failed', 'dead');

-- Work that must not run inside a request.  Claimed with
-- FOR UPDATE SKIP LOCKED; a run whose heartbeat stops is failed by the
-- reaper and retried with backoff while attempts remain.
CREATE TABLE jobs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id     uuid,
    kind          text        NOT NULL,
    payload       jsonb       NOT NULL DEFAULT '{}',
    run_at        timestamptz NOT NULL DEFAULT now(),
    attempts      integer     NOT NULL DEFAULT 0,
    max_attempts  integer     NOT NULL DEFAULT 5 CHECK (max_attempts > 0),
    status        job_status  NOT NULL DEFAULT 'queued',
    locked_by     text,
    heartbeat     timestamptz,
    started_at    timestamptz,
    finished_at   timestamptz,
    last_error    text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs__claim__idx ON jobs (run_at) WHERE status = 'queued';
CREATE INDEX jobs__running__idx ON jobs (heartbeat) WHERE status = 'running';
