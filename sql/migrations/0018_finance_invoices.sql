-- Finance: the drivers' invoices and their sync to the accounting
-- (Armado).
--
-- invoice_counters   one row per organisation and year, locked by the
--                    issuing transaction until it ends (not a sequence):
--                    the number is the year's last invoice's + 1 under
--                    that lock, so two issuers wait for each other, a
--                    rollback gives the number back, and the numbers of a
--                    year have no gap.  (The row is locked, never
--                    updated: « Tout valider » issues a week's invoices in
--                    one transaction, where a row updated a thousand times
--                    grows a chain of versions each update walks.)
-- invoices           one per validated settlement of a driver who rents
--                    or pays commission (salaried drivers get none), with
--                    its lines (invoice_lines: rent, commission, charges
--                    re-invoiced) and what is paid of it.
-- invoice_payments   each payment, partial ones kept: « compensation »
--                    when a settlement nets the invoice (its ledger
--                    posting is the settlement's), else one the office
--                    records (virement, especes, carte, cheque,
--                    prelevement, autre), posted to the ledger under
--                    'invoice:<id>:payment:<n>'.
-- accounting_sync    the outbox: one row per invoice, written in the
--                    transaction that makes it fully paid (never on a
--                    partial payment), with a job (kind accounting_sync)
--                    that marks the bill paid in Armado.
--
-- Rows change only through the functions below (the application role may
-- read them; the job runner updates accounting_sync's outcome).
--
-- Netting.  After a driver's week is validated, the open remainders of
-- their invoices may add up to at most what the driver owes
-- (-ledger_driver_balance, 0 when the fleet owes them): the excess is
-- what the settlement's posting has already taken from their earnings,
-- and is recorded as « compensation » on the oldest invoices first.

CREATE TYPE invoice_payment_method AS ENUM
    ('compensation', 'virement', 'especes', 'carte', 'cheque', 'prelevement', 'autre');
CREATE TYPE invoice_line_kind AS ENUM ('loyer', 'commission', 'amende', 'carburant', 'franchise');
CREATE TYPE accounting_sync_state AS ENUM ('pending', 'running', 'done', 'failed', 'dead');

CREATE TABLE invoice_counters (
    tenant_id    uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    year         integer NOT NULL CHECK (year BETWEEN 2000 AND 9999),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, year)
);

CREATE TABLE invoices (
    tenant_id      uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id             uuid NOT NULL DEFAULT gen_random_uuid(),
    number         text NOT NULL,
    year           integer NOT NULL,
    seq            integer NOT NULL CHECK (seq > 0),
    driver_id      uuid NOT NULL,
    settlement_id  uuid NOT NULL,
    week           text NOT NULL CHECK (week ~ '^[0-9]{4}-W[0-9]{2}$'),
    issued_on      date NOT NULL,
    currency       char(3) NOT NULL,
    total_cents    bigint NOT NULL CHECK (total_cents > 0),
    paid_cents     bigint NOT NULL DEFAULT 0,
    status         text GENERATED ALWAYS AS (CASE WHEN paid_cents = 0 THEN 'open'
                       WHEN paid_cents < total_cents THEN 'partly_paid' ELSE 'paid' END) STORED,
    paid_at        timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT invoices__id__key UNIQUE (id),
    CONSTRAINT invoices__number__key UNIQUE (tenant_id, number),
    CONSTRAINT invoices__seq__key UNIQUE (tenant_id, year, seq),
    CONSTRAINT invoices__settlement_id__key UNIQUE (tenant_id, settlement_id),
    FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id),
    FOREIGN KEY (tenant_id, settlement_id) REFERENCES settlements (tenant_id, id),
    CONSTRAINT invoices__paid_cents__range CHECK (paid_cents BETWEEN 0 AND total_cents),
    CHECK ((paid_at IS NOT NULL) = (paid_cents = total_cents))
);
CREATE INDEX invoices__driver__idx ON invoices (tenant_id, driver_id, issued_on);
CREATE INDEX invoices__week__idx ON invoices (tenant_id, week);

CREATE TABLE invoice_lines (
    tenant_id     uuid NOT NULL,
    invoice_id    uuid NOT NULL,
    line_no      smallint NOT NULL,
    kind          invoice_line_kind NOT NULL,
    label         text NOT NULL CHECK (length(label) BETWEEN 1 AND 600),
    amount_cents  bigint NOT NULL CHECK (amount_cents > 0),
    PRIMARY KEY (tenant_id, invoice_id, line_no),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE invoice_payments (
    tenant_id       uuid NOT NULL,
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    invoice_id      uuid NOT NULL,
    driver_id       uuid NOT NULL,
    n               integer NOT NULL CHECK (n > 0),
    amount_cents    bigint NOT NULL CHECK (amount_cents > 0),
    method          invoice_payment_method NOT NULL,
    paid_on         date NOT NULL,
    transaction_id  uuid,
    created_by      uuid REFERENCES users ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT invoice_payments__n__key UNIQUE (tenant_id, invoice_id, n),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, transaction_id) REFERENCES ledger_transactions (tenant_id, id),
    CHECK ((method = 'compensation') = (transaction_id IS NULL))
);

-- last_error: what Armado (or the way there) said, French; fix: what the
-- user must change before « Relancer » (NULL when waiting is enough).
CREATE TABLE accounting_sync (
    tenant_id     uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id            bigint GENERATED ALWAYS AS IDENTITY,
    invoice_id    uuid NOT NULL,
    reference     text NOT NULL,
    method        invoice_payment_method NOT NULL,
    payment_date  date NOT NULL,
    state         accounting_sync_state NOT NULL DEFAULT 'pending',
    attempts      integer NOT NULL DEFAULT 0,
    last_status   integer,
    last_error    text CHECK (length(last_error) <= 1000),
    fix           text CHECK (length(fix) <= 1000),
    bill_id       text CHECK (bill_id ~ '^[A-Za-z0-9_-]{1,64}$'),
    job_id        bigint,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    done_at       timestamptz,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT accounting_sync__id__key UNIQUE (id),
    CONSTRAINT accounting_sync__invoice_id__key UNIQUE (tenant_id, invoice_id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX accounting_sync__state__idx ON accounting_sync (tenant_id, state, id);
CREATE TRIGGER accounting_sync_touch BEFORE UPDATE ON accounting_sync
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- ---- Privileges and row-level security -------------------------------------

REVOKE ALL ON invoice_counters, invoices, invoice_lines, invoice_payments, accounting_sync
    FROM fleetcore_app;
GRANT SELECT ON invoice_counters, invoices, invoice_lines, invoice_payments, accounting_sync
    TO fleetcore_app;
-- The job runner records how a sync went.
GRANT UPDATE (state, attempts, last_status, last_error, fix, bill_id, done_at)
    ON accounting_sync TO fleetcore_app;

ALTER TABLE invoice_counters ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoice_counters_tenant ON invoice_counters
    USING (tenant_id = (SELECT app_tenant()));
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoices_tenant ON invoices FOR SELECT
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR driver_id = (SELECT app_driver_id())));
ALTER TABLE invoice_lines ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoice_lines_tenant ON invoice_lines FOR SELECT
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR invoice_id IN (
               SELECT i.id FROM invoices i WHERE i.driver_id = (SELECT app_driver_id()))));
ALTER TABLE invoice_payments ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoice_payments_tenant ON invoice_payments FOR SELECT
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR driver_id = (SELECT app_driver_id())));
ALTER TABLE accounting_sync ENABLE ROW LEVEL SECURITY;
CREATE POLICY accounting_sync_tenant ON accounting_sync
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()))
    WITH CHECK (tenant_id = (SELECT app_tenant()));

-- ---- Numbering ----------------------------------------------------------------

-- The next number of the organisation's year; the counter row stays
-- locked until the caller's transaction ends.  (The functions here are
-- PL/pgSQL, whose statements' plans a session keeps: a week's thousand
-- invoices are not planned a thousand times.)
CREATE FUNCTION invoice_next_seq(p_year integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t uuid := app_tenant();
    n integer;
BEGIN
    INSERT INTO invoice_counters (tenant_id, year) VALUES (t, p_year)
    ON CONFLICT (tenant_id, year) DO NOTHING;
    PERFORM 1 FROM invoice_counters WHERE tenant_id = t AND year = p_year FOR UPDATE;
    SELECT coalesce(max(seq), 0) + 1 INTO n FROM invoices WHERE tenant_id = t AND year = p_year;
    RETURN n;
END
$$;

-- ---- The outbox -----------------------------------------------------------------

-- A job for the sync row of an invoice (its payload {"invoice_id"}).  The
-- runner's own limit (FLEETCORE_ARMADO_ATTEMPTS) decides when a row is
-- dead; max_attempts only bounds it.
CREATE FUNCTION accounting_sync_job(p_invoice uuid) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    j bigint;
BEGIN
    INSERT INTO jobs (tenant_id, kind, payload, max_attempts)
    VALUES (app_tenant(), 'accounting_sync', jsonb_build_object('invoice_id', p_invoice), 50)
    RETURNING id INTO j;
    RETURN j;
END
$$;

-- « Relancer »: a row that is not done and has no attempt waiting or
-- running gets a new job.  Refused otherwise (23514, the state named).
CREATE FUNCTION accounting_sync_retry(p_id bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    r accounting_sync;
    j bigint;
BEGIN
    IF app_tenant() IS NULL OR app_is_driver() THEN
        RAISE EXCEPTION 'Action refusée.' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO r FROM accounting_sync WHERE tenant_id = app_tenant() AND id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Synchronisation inconnue.' USING ERRCODE = 'P0002';
    END IF;
    IF r.state = 'done' THEN
        RAISE EXCEPTION 'Cette facture est déjà synchronisée.'
            USING ERRCODE = '23514', CONSTRAINT = 'accounting_sync__state__done';
    END IF;
    IF EXISTS (SELECT 1 FROM jobs j WHERE j.id = r.job_id AND j.status IN ('queued', 'running')) THEN
        RAISE EXCEPTION 'Une tentative est déjà prévue pour cette facture.'
            USING ERRCODE = '23514', CONSTRAINT = 'accounting_sync__state__queued';
    END IF;
    UPDATE accounting_sync SET last_error = NULL, fix = NULL, last_status = NULL,
           state = 'pending', job_id = accounting_sync_job(r.invoice_id)
     WHERE tenant_id = app_tenant() AND id = p_id RETURNING job_id INTO j;
    RETURN j;
END
$$;

-- ---- Payments -------------------------------------------------------------------

-- Adds a payment to a locked invoice; when it completes the invoice, the
-- outbox row and its job, in this same transaction.
CREATE FUNCTION invoice_apply(p_invoice uuid, p_amount bigint, p_method invoice_payment_method,
                              p_paid_on date, p_tx uuid, p_n integer)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t uuid := app_tenant();
    inv invoices;
    pid uuid;
BEGIN
    UPDATE invoices SET paid_cents = paid_cents + p_amount,
           paid_at = CASE WHEN paid_cents + p_amount = total_cents THEN now() END
     WHERE tenant_id = t AND id = p_invoice RETURNING * INTO inv;
    INSERT INTO invoice_payments (tenant_id, invoice_id, driver_id, n, amount_cents, method,
                                  paid_on, transaction_id, created_by)
    VALUES (t, p_invoice, inv.driver_id, p_n, p_amount, p_method, p_paid_on, p_tx, app_user())
    RETURNING id INTO pid;
    -- paid_cents reaches total_cents once (a payment beyond is refused):
    -- one row, which its unique key guards as well.
    IF inv.paid_cents = inv.total_cents THEN
        INSERT INTO accounting_sync (tenant_id, invoice_id, reference, method, payment_date,
                                     job_id)
        VALUES (t, p_invoice, inv.number, p_method, p_paid_on, accounting_sync_job(p_invoice));
    END IF;
    RETURN pid;
END
$$;

CREATE FUNCTION invoice_next_n(p_invoice uuid) RETURNS integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    n integer;
BEGIN
    SELECT coalesce(max(p.n), 0) + 1 INTO n FROM invoice_payments p
     WHERE p.tenant_id = app_tenant() AND p.invoice_id = p_invoice;
    RETURN n;
END
$$;

-- A payment the office records.  Refused: an unknown invoice (P0002); a
-- paid one, an amount not in 1..what remains, a date in the future,
-- « compensation » (which only a settlement makes): 23514 with the field
-- in the constraint's name.  Returns the payment's id.
CREATE FUNCTION invoice_record_payment(p_invoice uuid, p_amount bigint, p_method text,
                                       p_paid_on date)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t uuid := app_tenant();
    inv invoices;
    n integer;
    tx uuid;
BEGIN
    IF t IS NULL OR app_is_driver() THEN
        RAISE EXCEPTION 'Action refusée.' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO inv FROM invoices WHERE tenant_id = t AND id = p_invoice FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Facture inconnue.' USING ERRCODE = 'P0002';
    END IF;
    IF inv.paid_cents = inv.total_cents THEN
        RAISE EXCEPTION 'Cette facture est déjà payée.'
            USING ERRCODE = '23514', CONSTRAINT = 'invoice_payments__amount_cents__paid';
    END IF;
    IF p_amount IS NULL OR p_amount <= 0 OR p_amount > inv.total_cents - inv.paid_cents THEN
        RAISE EXCEPTION 'Le montant doit être compris entre 0,01 et ce qui reste à payer (% centimes).',
            inv.total_cents - inv.paid_cents
            USING ERRCODE = '23514', CONSTRAINT = 'invoice_payments__amount_cents__remaining';
    END IF;
    IF p_method IS NULL OR p_method = 'compensation'
       OR NOT p_method = ANY (enum_range(NULL::invoice_payment_method)::text[]) THEN
        RAISE EXCEPTION 'Mode de paiement inconnu.'
            USING ERRCODE = '23514', CONSTRAINT = 'invoice_payments__method__known';
    END IF;
    IF p_paid_on IS NULL OR p_paid_on > (now() AT TIME ZONE 'Europe/Paris')::date THEN
        RAISE EXCEPTION 'La date de paiement ne peut pas être dans le futur.'
            USING ERRCODE = '23514', CONSTRAINT = 'invoice_payments__paid_on__future';
    END IF;
    n := invoice_next_n(p_invoice);
    tx := ledger_post('invoice:' || p_invoice || ':payment:' || n, 'invoice_payment',
                      'Règlement de la facture ' || inv.number || ' (' || p_method || ')',
                      jsonb_build_array(
                          jsonb_build_object('account', 'bank', 'amount_cents', p_amount),
                          jsonb_build_object('account', 'driver:' || inv.driver_id,
                                             'amount_cents', -p_amount)),
                      p_paid_on);
    RETURN invoice_apply(p_invoice, p_amount, p_method::invoice_payment_method, p_paid_on, tx, n);
END
$$;

-- The netting rule of the top of this file, for one driver.
CREATE FUNCTION invoice_net(p_driver uuid) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t uuid := app_tenant();
    owed bigint;
    open_total bigint;
    excess bigint;
    take bigint;
    netted bigint := 0;
    r record;
BEGIN
    -- ledger_driver_balance's sum (0016_finance_ledger.sql), written here
    -- so that its plan is kept from one driver of the week to the next.
    SELECT greatest(0, coalesce(sum(e.amount_cents), 0)) INTO owed
      FROM ledger_entries e JOIN ledger_accounts a
        ON a.tenant_id = e.tenant_id AND a.id = e.account_id
     WHERE e.tenant_id = t AND e.driver_id = p_driver AND a.code = 'driver:' || p_driver;
    SELECT coalesce(sum(total_cents - paid_cents), 0) INTO open_total FROM invoices
     WHERE tenant_id = t AND driver_id = p_driver AND paid_cents < total_cents;
    excess := open_total - owed;
    FOR r IN SELECT * FROM invoices
              WHERE tenant_id = t AND driver_id = p_driver AND paid_cents < total_cents
              ORDER BY year, seq FOR UPDATE LOOP
        EXIT WHEN excess <= 0;
        take := least(excess, r.total_cents - r.paid_cents);
        PERFORM invoice_apply(r.id, take, 'compensation',
                              (now() AT TIME ZONE 'Europe/Paris')::date, NULL,
                              invoice_next_n(r.id));
        excess := excess - take;
        netted := netted + take;
    END LOOP;
    RETURN netted;
END
$$;

-- ---- Issuing ----------------------------------------------------------------------

-- What a validated settlement invoices: the prorated rent, the
-- commission (with that of late data for earlier weeks, when positive)
-- and each fine, fuel advance and damage excess of the week.
CREATE FUNCTION invoice_lines_of(s settlements)
RETURNS TABLE (line_no smallint, kind invoice_line_kind, label text, amount bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY
    SELECT (row_number() OVER (ORDER BY x.o, x.label))::smallint, x.kind, x.label, x.amount FROM (
        SELECT 1 AS o, 'loyer'::invoice_line_kind AS kind,
               'Loyer du véhicule, semaine ' || s.week || ' (' || s.rent_days || ' jour'
               || CASE WHEN s.rent_days > 1 THEN 's' ELSE '' END || ')' AS label,
               s.rent_cents AS amount
         WHERE s.rent_cents > 0
        UNION ALL
        SELECT 2, 'commission', 'Commission, semaine ' || s.week, s.commission_cents
         WHERE s.commission_cents > 0
        UNION ALL
        SELECT 3, 'commission', 'Commission sur des courses arrivées après validation',
               sum(l.commission_cents)::bigint
          FROM settlement_lines l
         WHERE l.tenant_id = s.tenant_id AND l.settlement_id = s.id AND l.origin = 'import'
        HAVING sum(l.commission_cents) > 0
        UNION ALL
        SELECT 4, l.kind::text::invoice_line_kind,
               CASE l.kind WHEN 'amende' THEN 'Amende refacturée : '
                           WHEN 'carburant' THEN 'Carburant ou recharge avancés : '
                           ELSE 'Franchise dommages : ' END || l.reason,
               -l.amount_cents
          FROM settlement_lines l
         WHERE l.tenant_id = s.tenant_id AND l.settlement_id = s.id
           AND l.kind IN ('amende', 'carburant', 'franchise')) x;
END
$$;

-- The invoice of a validated settlement (its id; the existing one when
-- issued already; NULL when there is nothing to invoice: a salaried
-- driver, or no rent, commission or charge that week), then the driver's
-- netting.  The number is taken last, just before the insert, so that
-- the counter row is locked for as little as the transaction allows.
CREATE FUNCTION invoice_issue(p_settlement uuid) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t uuid := app_tenant();
    s settlements;
    id_ uuid;
    today date := (now() AT TIME ZONE 'Europe/Paris')::date;
    y integer := extract(year FROM (now() AT TIME ZONE 'Europe/Paris'))::integer;
    seq_ integer;
    total bigint;
BEGIN
    IF t IS NULL OR app_is_driver() THEN
        RAISE EXCEPTION 'Action refusée.' USING ERRCODE = '42501';
    END IF;
    SELECT * INTO s FROM settlements WHERE tenant_id = t AND id = p_settlement;
    IF NOT FOUND OR s.status = 'brouillon' THEN
        RAISE EXCEPTION 'Une facture suit un relevé validé.' USING ERRCODE = '55000';
    END IF;
    SELECT i.id INTO id_ FROM invoices i WHERE i.tenant_id = t AND i.settlement_id = p_settlement;
    IF id_ IS NOT NULL OR s.payroll THEN
        RETURN id_;
    END IF;
    SELECT coalesce(sum(l.amount), 0) INTO total FROM invoice_lines_of(s) l;
    IF total <= 0 THEN
        RETURN NULL;
    END IF;
    seq_ := invoice_next_seq(y);
    INSERT INTO invoices (tenant_id, number, year, seq, driver_id, settlement_id, week,
                          issued_on, currency, total_cents)
    VALUES (t, 'F' || y || '-' || lpad(seq_::text, 5, '0'), y, seq_, s.driver_id, s.id, s.week,
            today, s.currency, total)
    RETURNING id INTO id_;
    INSERT INTO invoice_lines (tenant_id, invoice_id, line_no, kind, label, amount_cents)
    SELECT t, id_, l.line_no, l.kind, l.label, l.amount FROM invoice_lines_of(s) l;
    PERFORM invoice_net(s.driver_id);
    RETURN id_;
END
$$;

-- The settlements' hook (0016_finance_settlements.sql): validating a week
-- issues its invoice in the same transaction.
CREATE OR REPLACE FUNCTION finance_after_validate(p_settlement uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM invoice_issue(p_settlement);
END
$$;

REVOKE ALL ON FUNCTION invoice_next_seq, accounting_sync_job, invoice_apply, invoice_next_n,
    invoice_net, invoice_lines_of FROM PUBLIC;
REVOKE ALL ON FUNCTION invoice_issue, invoice_record_payment, accounting_sync_retry FROM PUBLIC;
GRANT EXECUTE ON FUNCTION invoice_issue, invoice_record_payment, accounting_sync_retry
    TO fleetcore_app;
