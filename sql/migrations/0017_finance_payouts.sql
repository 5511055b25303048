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

-- ---- Payout batches ---------------------------------------------------------

-- A batch pays validated settlements with an amount due by one bank
-- file, made once when the batch is made and kept as it was (the bank
-- refuses a second file with the same MsgId, so a download is always the
-- same file).  brouillon → exporte (the file was downloaded) → envoye
-- (handed to the bank) → paye once every line is decided (rejete when
-- every line was rejected).  A line is en_attente until marked paye (the
-- payment is posted to the ledger, the settlement becomes paye) or
-- rejete (with the bank's reason; the amount stays owed to the driver).
CREATE TYPE payout_format AS ENUM ('sepa', 'wps');
CREATE TYPE payout_batch_status AS ENUM ('brouillon', 'exporte', 'envoye', 'paye', 'rejete');
CREATE TYPE payout_line_status AS ENUM ('en_attente', 'paye', 'rejete');

CREATE TABLE payout_batches (
    tenant_id       uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    number          integer NOT NULL CHECK (number > 0),
    format          payout_format NOT NULL,
    status          payout_batch_status NOT NULL DEFAULT 'brouillon',
    currency        char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    -- SEPA: MsgId and PmtInfId; WPS: the file name twice.
    msg_id          text NOT NULL CHECK (length(msg_id) BETWEEN 1 AND 35),
    pmt_inf_id      text NOT NULL CHECK (length(pmt_inf_id) BETWEEN 1 AND 35),
    execution_date  date NOT NULL,
    line_count      integer NOT NULL CHECK (line_count > 0),
    total_cents     bigint NOT NULL CHECK (total_cents > 0),
    file_name       text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 100),
    file_type       text NOT NULL CHECK (file_type IN ('application/xml', 'text/csv')),
    file_content    text NOT NULL,
    -- The moment the file says it was made, in the organisation's time.
    file_created_at timestamp NOT NULL,
    created_by      uuid REFERENCES users ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    exported_at     timestamptz,
    sent_at         timestamptz,
    sent_by         uuid REFERENCES users ON DELETE SET NULL,
    closed_at       timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT payout_batches__id__key UNIQUE (id),
    CONSTRAINT payout_batches__number__key UNIQUE (tenant_id, number),
    CONSTRAINT payout_batches__msg_id__key UNIQUE (tenant_id, msg_id),
    CONSTRAINT payout_batches__pmt_inf_id__key UNIQUE (tenant_id, pmt_inf_id),
    CONSTRAINT payout_batches__file_name__key UNIQUE (tenant_id, file_name)
);
CREATE INDEX payout_batches__list__idx ON payout_batches (tenant_id, created_at DESC);

-- What each line paid, as the file wrote it (the driver's name and bank
-- details may change later; the file does not).
CREATE TABLE payout_lines (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    batch_id        uuid NOT NULL,
    position        integer NOT NULL CHECK (position > 0),
    settlement_id   uuid NOT NULL,
    driver_id       uuid NOT NULL,
    amount_cents    bigint NOT NULL CHECK (amount_cents > 0),
    end_to_end_id   text NOT NULL CHECK (length(end_to_end_id) BETWEEN 1 AND 35),
    name            text NOT NULL,
    account         text NOT NULL,
    bic             text,
    status          payout_line_status NOT NULL DEFAULT 'en_attente',
    reason          text CHECK (length(reason) BETWEEN 1 AND 500),
    decided_at      timestamptz,
    decided_by      uuid REFERENCES users ON DELETE SET NULL,
    paid_on         date,
    transaction_id  uuid,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT payout_lines__id__key UNIQUE (id),
    CONSTRAINT payout_lines__position__key UNIQUE (tenant_id, batch_id, position),
    CONSTRAINT payout_lines__end_to_end_id__key UNIQUE (tenant_id, end_to_end_id),
    FOREIGN KEY (tenant_id, batch_id) REFERENCES payout_batches (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, settlement_id) REFERENCES settlements (tenant_id, id),
    FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id),
    FOREIGN KEY (tenant_id, transaction_id) REFERENCES ledger_transactions (tenant_id, id),
    CHECK ((status = 'rejete') = (reason IS NOT NULL)),
    CHECK ((status = 'paye') = (transaction_id IS NOT NULL AND paid_on IS NOT NULL)),
    CHECK ((status = 'en_attente') = (decided_at IS NULL))
);
-- A settlement is paid by one line at a time: a rejected line frees it
-- for a later batch.  Two batches made at once cannot both take it.
CREATE UNIQUE INDEX payout_lines__settlement_id__key ON payout_lines (tenant_id, settlement_id)
    WHERE status <> 'rejete';
CREATE INDEX payout_lines__batch__idx ON payout_lines (tenant_id, batch_id, position);

-- The file and the lines' amounts never change once written; only the
-- states move, forward.
CREATE FUNCTION payout_batches_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.file_content IS DISTINCT FROM OLD.file_content OR NEW.file_name <> OLD.file_name
       OR NEW.total_cents <> OLD.total_cents OR NEW.line_count <> OLD.line_count
       OR NEW.msg_id <> OLD.msg_id OR NEW.format <> OLD.format
       OR NEW.file_created_at <> OLD.file_created_at THEN
        RAISE EXCEPTION 'Le fichier d''un lot de virements ne change pas.'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_batches__frozen';
    END IF;
    IF array_position(enum_range(NULL::payout_batch_status), NEW.status)
       < array_position(enum_range(NULL::payout_batch_status), OLD.status)
       OR (OLD.status IN ('paye', 'rejete') AND NEW.status <> OLD.status) THEN
        RAISE EXCEPTION 'Un lot de virements ne revient pas à un état antérieur.'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_batches__status';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER payout_batches_guard BEFORE UPDATE ON payout_batches
    FOR EACH ROW EXECUTE FUNCTION payout_batches_guard();

CREATE FUNCTION payout_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.amount_cents <> OLD.amount_cents OR NEW.settlement_id <> OLD.settlement_id
       OR NEW.account <> OLD.account OR NEW.end_to_end_id <> OLD.end_to_end_id
       OR (OLD.status <> 'en_attente' AND NEW IS DISTINCT FROM OLD) THEN
        RAISE EXCEPTION 'Une ligne de virement décidée ne change plus.'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'payout_lines__frozen';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER payout_lines_guard BEFORE UPDATE ON payout_lines
    FOR EACH ROW EXECUTE FUNCTION payout_lines_guard();

ALTER TABLE payout_batches ENABLE ROW LEVEL SECURITY;
CREATE POLICY payout_batches_tenant ON payout_batches
    USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));
ALTER TABLE payout_lines ENABLE ROW LEVEL SECURITY;
CREATE POLICY payout_lines_tenant ON payout_lines
    USING (tenant_id = (SELECT app_tenant())) WITH CHECK (tenant_id = (SELECT app_tenant()));
-- Money that left is never deleted.
REVOKE DELETE ON payout_batches, payout_lines FROM fleetcore_app;
