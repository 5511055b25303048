-- Drivers: an invitation to the driver portal names the driver record it
-- is for, and accepting it links that record to the account
-- (drivers.user_id), which is what row-level security reads to show a
-- driver their own data only (app_driver_id in 0003).

ALTER TABLE invitations ADD COLUMN driver_id uuid;
ALTER TABLE invitations ADD CONSTRAINT invitations__driver_id__fkey
    FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id)
    ON DELETE CASCADE;
-- Only the driver role is ever linked to a driver record.
ALTER TABLE invitations ADD CONSTRAINT invitations__driver_id__role
    CHECK (driver_id IS NULL OR role = 'driver');
CREATE INDEX invitations__driver__idx ON invitations (tenant_id, driver_id)
    WHERE driver_id IS NOT NULL;

-- The list in alphabetical order as French sorts it (accents and case
-- second: « Élie » between « Durand » and « Fabre »).
CREATE INDEX drivers__name__idx ON drivers
    (tenant_id, last_name COLLATE "fr-FR-x-icu", first_name COLLATE "fr-FR-x-icu");

-- As in 0002, plus the link of the driver record.  The account may have
-- been linked to another driver record of the organisation before (an
-- earlier invitation): the link moves to the record this invitation is
-- for, since a person is one driver of an organisation.
CREATE OR REPLACE FUNCTION auth_accept_invitation(p_hash bytea, p_name text, p_password_hash text)
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
    IF v_inv.driver_id IS NOT NULL THEN
        UPDATE drivers SET user_id = NULL
         WHERE tenant_id = v_inv.tenant_id AND user_id = v_user AND id <> v_inv.driver_id;
        UPDATE drivers SET user_id = v_user
         WHERE tenant_id = v_inv.tenant_id AND id = v_inv.driver_id;
        -- Other pending links to this driver are spent with this one.
        UPDATE invitations SET expires_at = now()
         WHERE tenant_id = v_inv.tenant_id AND driver_id = v_inv.driver_id
           AND accepted_at IS NULL AND expires_at > now();
    END IF;
    INSERT INTO activities (tenant_id, type, title, actor_id, subject_type, subject_id)
    VALUES (v_inv.tenant_id, 'member.joined', 'Invitation acceptée par ' || v_inv.email,
            v_user, 'user', v_user::text);
    RETURN v_user;
END
$$;
