-- Sign-in failures are counted per address, whether or not an account
-- has it: an address nobody owns is locked after ten failures like any
-- other, otherwise the lockout itself told which addresses have an
-- account.  user_id stays for the account's own history and clean-up.
ALTER TABLE login_failures ALTER COLUMN user_id DROP NOT NULL,
    ADD COLUMN email text CHECK (length(email) <= 320);
UPDATE login_failures f SET email = u.email FROM users u WHERE u.id = f.user_id;
CREATE INDEX login_failures__email__idx ON login_failures (email, at);

CREATE FUNCTION auth_recent_failures(p_email text) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT count(*) FROM login_failures f
     WHERE f.email = lower(left(p_email, 320)) AND f.at > now() - interval '15 minutes'
$$;

CREATE OR REPLACE FUNCTION auth_find_user(p_email text)
RETURNS TABLE (id uuid, name text, password_hash text, locale text,
               disabled boolean, recent_failures bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT u.id, u.name, u.password_hash, u.locale, u.disabled_at IS NOT NULL,
           auth_recent_failures(p_email)
      FROM users u WHERE u.email = lower(p_email)
$$;

-- A wrong password or an unknown address: counted for the lockout, and
-- told to every organisation of the account when there is one.
DROP FUNCTION auth_record_failure(uuid, text);
CREATE FUNCTION auth_record_failure(p_email text, p_user uuid, p_ip text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DELETE FROM login_failures WHERE at < now() - interval '1 day';
    INSERT INTO login_failures (user_id, email) VALUES (p_user, lower(left(p_email, 320)));
    INSERT INTO activities (tenant_id, type, title, description, actor_id, subject_type, subject_id)
    SELECT m.tenant_id, 'auth.login_failed', 'Échec de connexion',
           'Mot de passe incorrect depuis ' || coalesce(p_ip, '?'), p_user, 'user', p_user::text
      FROM memberships m WHERE m.user_id = p_user;
$$;

CREATE OR REPLACE FUNCTION auth_clear_failures(p_user uuid) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DELETE FROM login_failures
     WHERE user_id = p_user OR email = (SELECT email FROM users WHERE id = p_user);
$$;

REVOKE ALL ON FUNCTION auth_recent_failures, auth_record_failure FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_recent_failures, auth_record_failure TO fleetcore_app;
