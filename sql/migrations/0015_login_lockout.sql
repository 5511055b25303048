-- Counting failures per address alone let anyone lock anyone out: ten
-- wrong passwords typed from anywhere blocked the account for fifteen
-- minutes.  An address is now blocked for the client address that failed
-- ten times, and for every client only when fifty failures came from
-- anywhere (a guesser spread over many machines): the owner signing in
-- from elsewhere is not stopped by someone else's guesses.  Known and
-- unknown addresses still follow the same rule (0012).
ALTER TABLE login_failures ADD COLUMN ip text CHECK (length(ip) <= 64);

CREATE OR REPLACE FUNCTION auth_record_failure(p_email text, p_user uuid, p_ip text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DELETE FROM login_failures WHERE at < now() - interval '1 day';
    INSERT INTO login_failures (user_id, email, ip)
    VALUES (p_user, lower(left(p_email, 320)), left(p_ip, 64));
    INSERT INTO activities (tenant_id, type, title, description, actor_id, subject_type, subject_id)
    SELECT m.tenant_id, 'auth.login_failed', 'Échec de connexion',
           'Mot de passe incorrect depuis ' || coalesce(p_ip, '?'), p_user, 'user', p_user::text
      FROM memberships m WHERE m.user_id = p_user;
$$;

CREATE FUNCTION auth_locked(p_email text, p_ip text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT count(*) FILTER (WHERE f.ip = left(p_ip, 64)) >= 10 OR count(*) >= 50
      FROM login_failures f
     WHERE f.email = lower(left(p_email, 320)) AND f.at > now() - interval '15 minutes'
$$;

DROP FUNCTION auth_find_user(text);
CREATE FUNCTION auth_find_user(p_email text, p_ip text)
RETURNS TABLE (id uuid, name text, password_hash text, locale text,
               disabled boolean, locked boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT u.id, u.name, u.password_hash, u.locale, u.disabled_at IS NOT NULL,
           auth_locked(p_email, p_ip)
      FROM users u WHERE u.email = lower(p_email)
$$;

DROP FUNCTION auth_recent_failures(text);
REVOKE ALL ON FUNCTION auth_locked, auth_find_user FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_locked, auth_find_user TO fleetcore_app;
