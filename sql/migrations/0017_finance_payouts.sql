-- Finance: the organisation's settings (its bank, WPS identifiers, the
-- sealed Armado key), what a WPS file needs of each driver, and payout
-- batches (a SEPA or WPS file paying validated settlements).

-- ---- Organisation settings ------------------------------------------------

-- One row per organisation, written on its first save.  The currency
-- stays on tenants (EUR: SEPA transfers; AED: a WPS file).
--
-- armado_api_key is sealed: base64(nonce || secretbox) of the key's bytes
-- under FLEETCORE_SECRET_KEY_FILE (crypto.h secret_seal / secret_open);
-- organisation_armado_key() in fcgi/app/finance/organisation.h opens it.
-- It is never shown: the API answers "••••" when it is set.
CREATE TABLE organisation_settings (
    tenant_id         uuid PRIMARY KEY REFERENCES tenants ON DELETE CASCADE,
    bank_iban         text CHECK (bank_iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
    bank_bic          text CHECK (bank_bic ~ '^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$'),
    bank_name         text CHECK (length(bank_name) BETWEEN 1 AND 70),
    armado_api_key    text CHECK (length(armado_api_key) <= 1024),
    wps_employer_id   text CHECK (wps_employer_id ~ '^[0-9]{13}$'),
    wps_routing_code  text CHECK (wps_routing_code ~ '^[0-9]{9}$'),
    updated_by        uuid REFERENCES users ON DELETE SET NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER organisation_settings_touch BEFORE UPDATE ON organisation_settings
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

ALTER TABLE organisation_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY organisation_settings_tenant ON organisation_settings
    USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));
REVOKE DELETE ON organisation_settings FROM fleetcore_app;

-- The organisation picks the currency it pays in.
ALTER TABLE tenants ADD CONSTRAINT tenants__currency__check CHECK (currency ~ '^[A-Z]{3}$');
GRANT UPDATE (currency) ON tenants TO fleetcore_app;

-- ---- What a WPS file needs of a driver --------------------------------------

-- The MOHRE person ID (labour card, padded to 14 in the file), the
-- routing code of the driver's bank, and a salary card for drivers paid
-- on one rather than to an Emirati IBAN.
ALTER TABLE drivers
    ADD COLUMN wps_person_id     text CHECK (wps_person_id ~ '^[0-9]{1,14}$'),
    ADD COLUMN wps_routing_code  text CHECK (wps_routing_code ~ '^[0-9]{9}$'),
    ADD COLUMN wps_card_number   text CHECK (wps_card_number ~ '^[0-9]{1,16}$');
