-- Identity and tenancy: organisations, users, memberships, sessions, API
-- tokens, activities, outgoing mail, and row-level security.
--
-- Every tenant-owned table has tenant_id NOT NULL leading its keys and a
-- policy on app_tenant().  What must be looked up before the tenant is
-- known (sign-in, session and token checks, password resets) goes through
-- SECURITY DEFINER functions owned by the owner role, each doing one
-- narrow thing.

-- The tenant and user of the current transaction (SET LOCAL by the app);
-- NULL when unset, which matches no row.
CREATE FUNCTION app_tenant() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
CREATE FUNCTION app_user() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;

CREATE TYPE member_role AS ENUM ('driver', 'viewer', 'finance', 'manager', 'admin', 'owner');

CREATE TABLE tenants (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug        text NOT NULL CONSTRAINT tenants__slug__key UNIQUE
                CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    country     char(2) NOT NULL DEFAULT 'FR',
    currency    char(3) NOT NULL DEFAULT 'EUR',
    timezone    text NOT NULL DEFAULT 'Europe/Paris',
    plan        text NOT NULL DEFAULT 'standard',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- An organisation's identifier in another system (CRM, billing,
-- platform account) mapped to the tenant.
CREATE TABLE company_mapping (
    tenant_id    uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    source       text NOT NULL CHECK (length(source) BETWEEN 1 AND 64),
    external_id  text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 256),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, source, external_id),
    CONSTRAINT company_mapping__external_id__key UNIQUE (source, external_id)
);

-- A person; may belong to several organisations.
CREATE TABLE users (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email          text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    name           text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    password_hash  text,
    locale         text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
    disabled_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users__email__key UNIQUE (email)
);

CREATE TABLE memberships (
    tenant_id   uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    role        member_role NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships__user__idx ON memberships (user_id);

CREATE TABLE sessions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash    bytea NOT NULL CONSTRAINT sessions__token__key UNIQUE,
    user_id       uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    tenant_id     uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    csrf_token    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    ip            text,
    user_agent    text
);
CREATE INDEX sessions__user__idx ON sessions (user_id);

CREATE TYPE token_scope AS ENUM ('read', 'write');

CREATE TABLE api_tokens (
    tenant_id     uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    token_hash    bytea NOT NULL CONSTRAINT api_tokens__token__key UNIQUE,
    prefix        text NOT NULL,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    scope         token_scope NOT NULL DEFAULT 'read',
    created_by    uuid NOT NULL REFERENCES users,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    expires_at    timestamptz,
    revoked_at    timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT api_tokens__id__key UNIQUE (id)
);

CREATE TABLE activities (
    tenant_id     uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    type          text NOT NULL,
    title         text NOT NULL,
    description   text NOT NULL DEFAULT '',
    actor_id      uuid REFERENCES users ON DELETE SET NULL,
    subject_type  text,
    subject_id    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX activities__recent__idx ON activities (tenant_id, created_at DESC);

CREATE TABLE invitations (
    tenant_id    uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id           uuid NOT NULL DEFAULT gen_random_uuid(),
    email        text NOT NULL,
    role         member_role NOT NULL,
    token_hash   bytea NOT NULL CONSTRAINT invitations__token__key UNIQUE,
    invited_by   uuid REFERENCES users ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT invitations__id__key UNIQUE (id)
);

-- Messages the application would send.  With no mail server they stay
-- here; an organisation's admins see the ones sent on its behalf.
CREATE TABLE email_outbox (
    tenant_id   uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    recipient   text NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL,
    kind        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz,
    PRIMARY KEY (tenant_id, id)
);

CREATE TABLE password_resets (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    token_hash  bytea NOT NULL CONSTRAINT password_resets__token__key UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

CREATE TABLE login_failures (
    user_id  uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures__user__idx ON login_failures (user_id, at);

-- ---- Row-level security ------------------------------------------------

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenants_current ON tenants
    USING (id = (SELECT app_tenant()));

ALTER TABLE company_mapping ENABLE ROW LEVEL SECURITY;
CREATE POLICY company_mapping_tenant ON company_mapping
    USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
CREATE POLICY memberships_tenant ON memberships
    USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));

-- A user sees themself and the members of the current organisation.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_visible ON users FOR SELECT
    USING (id = app_user() OR EXISTS (
        SELECT 1 FROM memberships m WHERE m.user_id = users.id));
CREATE POLICY users_self_update ON users FOR UPDATE
    USING (id = app_user()) WITH CHECK (id = app_user());

-- A user sees their own sessions; a session is written only for the
-- organisation of the transaction (the tenant rule of every table).
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY sessions_own ON sessions
    USING (user_id = app_user())
    WITH CHECK (user_id = app_user() AND tenant_id = (SELECT app_tenant()));

ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY api_tokens_tenant ON api_tokens
    USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));

ALTER TABLE activities ENABLE ROW LEVEL SECURITY;
CREATE POLICY activities_tenant ON activities
    USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
CREATE POLICY invitations_tenant ON invitations
    USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));

ALTER TABLE email_outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY email_outbox_tenant ON email_outbox
    USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));

-- Reached only through the functions below.
ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY;
ALTER TABLE login_failures ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON password_resets, login_failures FROM fleetcore_app;
-- Organisations and accounts are created by the command line (owner) or
-- the functions below; the application may rename itself, nothing more.
REVOKE INSERT, DELETE, UPDATE ON users, tenants FROM fleetcore_app;
GRANT UPDATE (name, locale) ON users TO fleetcore_app;
GRANT UPDATE (name) ON tenants TO fleetcore_app;

-- ---- Functions that act before the tenant is known ------------------------

-- Sign-in: the account behind an email and its failures in the last 15
-- minutes (the lockout window).
CREATE FUNCTION auth_find_user(p_email text)
RETURNS TABLE (id uuid, name text, password_hash text, locale text,
               disabled boolean, recent_failures bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT u.id, u.name, u.password_hash, u.locale, u.disabled_at IS NOT NULL,
           (SELECT count(*) FROM login_failures f
             WHERE f.user_id = u.id AND f.at > now() - interval '15 minutes')
      FROM users u WHERE u.email = lower(p_email)
$$;

-- A wrong password: counted for the lockout and told to every
-- organisation of the account.
CREATE FUNCTION auth_record_failure(p_user uuid, p_ip text) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DELETE FROM login_failures WHERE at < now() - interval '1 day';
    INSERT INTO login_failures (user_id) VALUES (p_user);
    INSERT INTO activities (tenant_id, type, title, description, actor_id, subject_type, subject_id)
    SELECT m.tenant_id, 'auth.login_failed', 'Échec de connexion',
           'Mot de passe incorrect depuis ' || coalesce(p_ip, '?'), p_user, 'user', p_user::text
      FROM memberships m WHERE m.user_id = p_user;
$$;

CREATE FUNCTION auth_clear_failures(p_user uuid) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DELETE FROM login_failures WHERE user_id = p_user;
$$;

-- The organisations of a user, for sign-in and the organisation switch.
CREATE FUNCTION auth_memberships(p_user uuid)
RETURNS TABLE (tenant_id uuid, name text, slug text, role member_role)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT t.id, t.name, t.slug, m.role
      FROM memberships m JOIN tenants t ON t.id = m.tenant_id
     WHERE m.user_id = p_user ORDER BY t.name
$$;

-- The live session behind a token hash.  last_seen_at is written at most
-- once a minute so that reading a page costs no write.
CREATE FUNCTION auth_session(p_hash bytea, p_idle interval)
RETURNS TABLE (session_id uuid, user_id uuid, user_name text, email text,
               locale text, tenant_id uuid, tenant_name text, tenant_slug text,
               role member_role, csrf_token text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE sessions s SET last_seen_at = now()
     WHERE s.token_hash = p_hash AND s.last_seen_at < now() - interval '1 minute'
       AND s.last_seen_at > now() - p_idle AND s.expires_at > now();
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

-- The live API token behind a hash.  Its role is its creator's role in the
-- organisation now: a token never outranks the person who made it.
CREATE FUNCTION auth_token(p_hash bytea)
RETURNS TABLE (token_id uuid, scope token_scope, user_id uuid, user_name text,
               email text, locale text, tenant_id uuid, tenant_name text,
               tenant_slug text, role member_role)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    UPDATE api_tokens a SET last_used_at = now()
     WHERE a.token_hash = p_hash
       AND (a.last_used_at IS NULL OR a.last_used_at < now() - interval '1 minute');
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

-- A password reset: a one-time link valid for an hour.  The mail is filed
-- in the outbox of the account's oldest organisation (where its admins
-- can read it when no mail server is configured).  Returns the user or
-- NULL for an unknown address (the caller answers the same either way).
CREATE FUNCTION auth_reset_request(p_email text, p_hash bytea, p_link text)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_user uuid;
BEGIN
    SELECT id INTO v_user FROM users WHERE email = lower(p_email) AND disabled_at IS NULL;
    IF v_user IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO password_resets (user_id, token_hash, expires_at)
    VALUES (v_user, p_hash, now() + interval '1 hour');
    INSERT INTO email_outbox (tenant_id, recipient, subject, body, kind)
    SELECT m.tenant_id, lower(p_email), 'Réinitialisation de votre mot de passe FleetCore',
           'Bonjour,' || E'\n\n' || 'Pour choisir un nouveau mot de passe, ouvrez ce lien '
           || '(valable une heure, une seule fois) :' || E'\n' || p_link || E'\n',
           'password_reset'
      FROM memberships m WHERE m.user_id = v_user ORDER BY m.created_at LIMIT 1;
    RETURN v_user;
END
$$;

-- 1 when the reset link can still be used.
CREATE FUNCTION auth_reset_valid(p_hash bytea) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM password_resets
                    WHERE token_hash = p_hash AND used_at IS NULL AND expires_at > now())
$$;

-- Use a reset link once: set the password, end every session.
CREATE FUNCTION auth_reset_consume(p_hash bytea, p_password_hash text) RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_user uuid;
BEGIN
    UPDATE password_resets SET used_at = now()
     WHERE token_hash = p_hash AND used_at IS NULL AND expires_at > now()
    RETURNING user_id INTO v_user;
    IF v_user IS NULL THEN
        RETURN NULL;
    END IF;
    UPDATE users SET password_hash = p_password_hash WHERE id = v_user;
    DELETE FROM sessions WHERE user_id = v_user;
    DELETE FROM login_failures WHERE user_id = v_user;
    RETURN v_user;
END
$$;

-- The signed-in user changes their own password (the old one was checked
-- by the caller against auth_password_hash).
CREATE FUNCTION auth_password_hash() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT password_hash FROM users WHERE id = app_user()
$$;

CREATE FUNCTION auth_set_password(p_password_hash text, p_keep_session uuid) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    UPDATE users SET password_hash = p_password_hash WHERE id = app_user();
    DELETE FROM sessions WHERE user_id = app_user() AND id <> p_keep_session;
$$;

-- An invitation link: what it offers, while it is valid.
CREATE FUNCTION auth_invitation(p_hash bytea)
RETURNS TABLE (tenant_id uuid, tenant_name text, email text, role member_role,
               has_account boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT i.tenant_id, t.name, i.email, i.role,
           EXISTS (SELECT 1 FROM users u WHERE u.email = i.email)
      FROM invitations i JOIN tenants t ON t.id = i.tenant_id
     WHERE i.token_hash = p_hash AND i.accepted_at IS NULL AND i.expires_at > now()
$$;

-- Accept an invitation once: the account is created when new (with the
-- name and password given), the membership added or its role updated.
CREATE FUNCTION auth_accept_invitation(p_hash bytea, p_name text, p_password_hash text)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_inv invitations%ROWTYPE;
    v_user uuid;
BEGIN
    UPDATE invitations SET accepted_at = now()
     WHERE token_hash = p_hash AND accepted_at IS NULL AND expires_at > now()
    RETURNING * INTO v_inv;
    IF v_inv.id IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT id INTO v_user FROM users WHERE email = v_inv.email;
    IF v_user IS NULL THEN
        IF p_password_hash IS NULL THEN
            RAISE EXCEPTION 'a new account needs a password' USING ERRCODE = '22023';
        END IF;
        INSERT INTO users (email, name, password_hash)
        VALUES (v_inv.email, coalesce(p_name, ''), p_password_hash) RETURNING id INTO v_user;
    END IF;
    INSERT INTO memberships (tenant_id, user_id, role)
    VALUES (v_inv.tenant_id, v_user, v_inv.role)
    ON CONFLICT (tenant_id, user_id) DO UPDATE SET role = EXCLUDED.role;
    INSERT INTO activities (tenant_id, type, title, actor_id, subject_type, subject_id)
    VALUES (v_inv.tenant_id, 'member.joined', 'Invitation acceptée par ' || v_inv.email,
            v_user, 'user', v_user::text);
    RETURN v_user;
END
$$;

REVOKE ALL ON FUNCTION auth_find_user, auth_record_failure, auth_clear_failures,
    auth_memberships, auth_session, auth_token, auth_reset_request, auth_reset_valid,
    auth_reset_consume, auth_password_hash, auth_set_password, auth_invitation,
    auth_accept_invitation FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_find_user, auth_record_failure, auth_clear_failures,
    auth_memberships, auth_session, auth_token, auth_reset_request, auth_reset_valid,
    auth_reset_consume, auth_password_hash, auth_set_password, auth_invitation,
    auth_accept_invitation TO fleetcore_app;
