-- The sessions policy as 0002 declares it since the tenant rule was added
-- to its WITH CHECK: databases that applied 0002 before then kept the
-- older policy, which let a user write a session for another
-- organisation.  Declared again here so that every database has it.
DROP POLICY sessions_own ON sessions;
CREATE POLICY sessions_own ON sessions
    USING (user_id = app_user())
    WITH CHECK (user_id = app_user() AND tenant_id = (SELECT app_tenant()));
