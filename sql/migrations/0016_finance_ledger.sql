-- Finance: the double-entry ledger of an organisation, in cents.
--
-- ledger_accounts      one row per account, known by its code
-- ledger_transactions  one row per posting, known by its idempotency key
-- ledger_entries       the lines of a posting; amount_cents > 0 is a
--                      debit, < 0 a credit; every posting sums to zero
--
-- Nothing here is ever updated or deleted: PostgreSQL refuses it (the
-- application role has neither privilege, and a trigger refuses it to
-- every role, the owner included, except when the organisation itself is
-- deleted).  A correction is a reversing posting (ledger_reverse).
--
-- ==== The one entry point: ledger_post ====================================
--
--   ledger_post(p_key text, p_kind text, p_memo text, p_lines jsonb,
--               p_on date DEFAULT NULL) RETURNS uuid
--
--   p_key    what produced the posting, unique per organisation, e.g.
--            'settlement:<uuid>:validate', 'payout:<batch>:<line>:paid',
--            'payout:<batch>:<line>:rejected', 'invoice:<uuid>:payment:<n>'.
--            1 to 200 characters.
--   p_kind   a short lower-case word saying what it is ('settlement',
--            'payout', 'payout_rejected', 'invoice_payment', 'reversal',
--            ...): [a-z][a-z0-9_]{1,39}.
--   p_memo   shown in the « Grand livre » (up to 500 characters; NULL: '').
--   p_lines  a JSON array of at least two objects
--              {"account": CODE, "amount_cents": N, "memo": "..."}
--            N an integer, never 0: positive debits the account, negative
--            credits it.  The amounts must sum to zero, or the posting is
--            refused (SQLSTATE 23514, constraint
--            ledger_transactions__balanced).  memo is optional.
--   p_on     the accounting date (filters by period use it); NULL: today
--            in Europe/Paris.
--
--   Account codes (the account is created on first use):
--     driver:<driver uuid>     what the fleet owes the driver (credit) or
--                              the driver owes (debit)
--     deposits:<driver uuid>   the driver's deposit held (caution)
--     platform:<uber|bolt|heetch|autre>   receivable from the platform
--     bank                     the organisation's bank account
--     cash_held                cash collected by drivers, not yet netted
--     rent_income, commission_income, payroll_revenue (salaried drivers'
--                              platform earnings)
--     charges:<amende|carburant|franchise|autre>  charges re-invoiced
--     adjustments              bonuses, refunds and other fleet expenses
--   A code outside this list is refused (SQLSTATE 22023).
--
--   Idempotent: when a posting with p_key exists, its id is returned and
--   nothing is written; if its lines differ from p_lines the call is
--   refused (SQLSTATE 23505, constraint ledger_transactions__key__reused),
--   which shows a key used for two different things.  Two transactions
--   posting the same key at once: the second waits for the first and then
--   returns its id (or posts, if the first rolled back).
--
--   Runs with the caller's organisation (app_tenant()); refused to a
--   driver.  The amounts' sign convention for a driver's account: a
--   driver's balance, what the fleet owes them, is minus the sum of the
--   account's amounts (ledger_driver_balance).
--
--   ledger_reverse(p_key text, p_transaction uuid, p_memo text)
--   RETURNS uuid posts the opposite of a posting (kind 'reversal'),
--   idempotent on p_key like ledger_post.
-- ==========================================================================

CREATE TYPE ledger_account_kind AS ENUM
    ('driver', 'deposits', 'platform', 'bank', 'cash_held', 'rent_income',
     'commission_income', 'payroll_revenue', 'charges', 'adjustments');

CREATE TABLE ledger_accounts (
    tenant_id   uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    code        text NOT NULL CHECK (length(code) BETWEEN 1 AND 80),
    kind        ledger_account_kind NOT NULL,
    driver_id   uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT ledger_accounts__id__key UNIQUE (id),
    CONSTRAINT ledger_accounts__code__key UNIQUE (tenant_id, code),
    FOREIGN KEY (tenant_id, driver_id) REFERENCES drivers (tenant_id, id),
    CHECK ((driver_id IS NOT NULL) = (kind IN ('driver', 'deposits')))
);

CREATE TABLE ledger_transactions (
    tenant_id   uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id          uuid NOT NULL DEFAULT gen_random_uuid(),
    key         text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    kind        text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_]{1,39}$'),
    memo        text NOT NULL DEFAULT '' CHECK (length(memo) <= 500),
    posted_on   date NOT NULL,
    reverses    uuid,
    lines_hash  text NOT NULL,
    xact        xid8 NOT NULL DEFAULT pg_current_xact_id(),
    created_by  uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT ledger_transactions__id__key UNIQUE (id),
    CONSTRAINT ledger_transactions__key__key UNIQUE (tenant_id, key),
    FOREIGN KEY (tenant_id, reverses) REFERENCES ledger_transactions (tenant_id, id)
);
CREATE INDEX ledger_transactions__on__idx ON ledger_transactions (tenant_id, posted_on);

-- driver_id and posted_on repeat the account's and the transaction's, so
-- that the « Grand livre » filters and a driver's policy read one table.
CREATE TABLE ledger_entries (
    tenant_id       uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id              bigint GENERATED ALWAYS AS IDENTITY,
    transaction_id  uuid NOT NULL,
    account_id      uuid NOT NULL,
    driver_id       uuid,
    posted_on       date NOT NULL,
    amount_cents    bigint NOT NULL CHECK (amount_cents <> 0),
    memo            text NOT NULL DEFAULT '' CHECK (length(memo) <= 500),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, transaction_id) REFERENCES ledger_transactions (tenant_id, id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES ledger_accounts (tenant_id, id)
);
CREATE INDEX ledger_entries__transaction__idx ON ledger_entries (tenant_id, transaction_id);
CREATE INDEX ledger_entries__account__idx ON ledger_entries (tenant_id, account_id, posted_on);
CREATE INDEX ledger_entries__driver__idx ON ledger_entries (tenant_id, driver_id, posted_on)
    WHERE driver_id IS NOT NULL;
CREATE INDEX ledger_entries__on__idx ON ledger_entries (tenant_id, posted_on);

-- ---- What PostgreSQL enforces ------------------------------------------

-- Never updated, never deleted: only the deletion of the organisation
-- removes its ledger (the cascade runs once the tenant row is gone).
CREATE FUNCTION ledger_immutable() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM tenants WHERE id = OLD.tenant_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'Une écriture comptable ne se modifie ni ne se supprime : passez une écriture d''extourne.'
        USING ERRCODE = '55000', CONSTRAINT = TG_TABLE_NAME || '__immutable';
END
$$;
CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER ledger_transactions_immutable BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER ledger_accounts_immutable BEFORE UPDATE OR DELETE ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
CREATE FUNCTION ledger_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Le grand livre ne se vide pas.' USING ERRCODE = '55000';
END
$$;
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_no_truncate();
CREATE TRIGGER ledger_transactions_no_truncate BEFORE TRUNCATE ON ledger_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_no_truncate();

-- Lines join only a posting of their own database transaction: a posting
-- once committed cannot grow a line.
-- (Run as the inserter, who is the owner: the application role may not
-- insert lines but through ledger_post.)
CREATE FUNCTION ledger_entry_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ledger_transactions t
                    WHERE t.tenant_id = NEW.tenant_id AND t.id = NEW.transaction_id
                      AND t.xact = pg_current_xact_id()) THEN
        RAISE EXCEPTION 'Une écriture ne s''ajoute pas à une opération déjà passée.'
            USING ERRCODE = '23514', CONSTRAINT = 'ledger_entries__closed_transaction';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER ledger_entries_guard BEFORE INSERT ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_guard();

-- Every posting balances and has at least two lines, checked when its
-- database transaction commits (ledger_post refuses an unbalanced one at
-- once too).
CREATE FUNCTION ledger_balanced() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    n bigint;
    total numeric;
BEGIN
    SELECT count(*), coalesce(sum(amount_cents), 0) INTO n, total
      FROM ledger_entries e
     WHERE e.tenant_id = NEW.tenant_id AND e.transaction_id = NEW.id;
    IF n < 2 OR total <> 0 THEN
        RAISE EXCEPTION 'Opération déséquilibrée : la somme des débits et des crédits doit être nulle (écart % centimes, % lignes).', total, n
            USING ERRCODE = '23514', CONSTRAINT = 'ledger_transactions__balanced';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER ledger_transactions__balanced AFTER INSERT ON ledger_transactions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_balanced();

-- ---- Accounts -------------------------------------------------------------

-- The account of a code in the current organisation, made on first use.
CREATE FUNCTION ledger_account(p_code text) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t uuid := app_tenant();
    k ledger_account_kind;
    d uuid;
    id_ uuid;
BEGIN
    SELECT a.id INTO id_ FROM ledger_accounts a WHERE a.tenant_id = t AND a.code = p_code;
    IF id_ IS NOT NULL THEN
        RETURN id_;
    END IF;
    IF p_code IN ('bank', 'cash_held', 'rent_income', 'commission_income',
                  'payroll_revenue', 'adjustments') THEN
        k := p_code::ledger_account_kind;
    ELSIF p_code IN ('platform:uber', 'platform:bolt', 'platform:heetch', 'platform:autre') THEN
        k := 'platform';
    ELSIF p_code IN ('charges:amende', 'charges:carburant', 'charges:franchise', 'charges:autre') THEN
        k := 'charges';
    ELSIF p_code ~ '^(driver|deposits):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        k := split_part(p_code, ':', 1)::ledger_account_kind;
        d := split_part(p_code, ':', 2)::uuid;
        IF NOT EXISTS (SELECT 1 FROM drivers x WHERE x.tenant_id = t AND x.id = d) THEN
            RAISE EXCEPTION 'Compte inconnu : aucun chauffeur %.', d USING ERRCODE = '22023';
        END IF;
    ELSE
        RAISE EXCEPTION 'Compte inconnu : « % ».', p_code USING ERRCODE = '22023';
    END IF;
    INSERT INTO ledger_accounts (tenant_id, code, kind, driver_id)
    VALUES (t, p_code, k, d)
    ON CONFLICT (tenant_id, code) DO NOTHING RETURNING id INTO id_;
    IF id_ IS NULL THEN
        SELECT a.id INTO id_ FROM ledger_accounts a WHERE a.tenant_id = t AND a.code = p_code;
    END IF;
    RETURN id_;
END
$$;

-- ---- Posting --------------------------------------------------------------

-- ledger_post, and ledger_reverse with the posting it reverses.
CREATE FUNCTION ledger_write(p_key text, p_kind text, p_memo text, p_lines jsonb,
                             p_on date, p_reverses uuid)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t uuid := app_tenant();
    h text;
    id_ uuid;
    old_hash text;
    l jsonb;
BEGIN
    IF t IS NULL OR app_is_driver() THEN
        RAISE EXCEPTION 'Écriture refusée.' USING ERRCODE = '42501';
    END IF;
    IF p_key IS NULL OR length(p_key) NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'Clé d''écriture invalide.' USING ERRCODE = '22023';
    END IF;
    IF jsonb_typeof(p_lines) IS DISTINCT FROM 'array' OR jsonb_array_length(p_lines) < 2 THEN
        RAISE EXCEPTION 'Une opération a au moins deux lignes.' USING ERRCODE = '22023';
    END IF;
    h := md5(p_kind || E'\x1f' || coalesce(p_memo, '') || E'\x1f' || p_lines::text);

    SELECT x.id, x.lines_hash INTO id_, old_hash FROM ledger_transactions x
     WHERE x.tenant_id = t AND x.key = p_key;
    IF id_ IS NULL THEN
        INSERT INTO ledger_transactions (tenant_id, key, kind, memo, posted_on, reverses,
                                         lines_hash, created_by)
        VALUES (t, p_key, p_kind, coalesce(p_memo, ''),
                coalesce(p_on, (now() AT TIME ZONE 'Europe/Paris')::date), p_reverses, h,
                app_user())
        ON CONFLICT (tenant_id, key) DO NOTHING RETURNING id INTO id_;
        IF id_ IS NULL THEN
            -- Another transaction posted the key and committed meanwhile.
            SELECT x.id, x.lines_hash INTO id_, old_hash FROM ledger_transactions x
             WHERE x.tenant_id = t AND x.key = p_key;
        ELSE
            -- Amounts are whole non-zero cents; a posting that does not
            -- balance is refused here at once, with the constraint's own
            -- words (the constraint trigger checks again at commit; asking
            -- it now, SET CONSTRAINTS … IMMEDIATE, would walk every event
            -- of the transaction at each posting of a batch).
            SELECT x INTO l FROM jsonb_array_elements(p_lines) x
             WHERE jsonb_typeof(x->'amount_cents') IS DISTINCT FROM 'number'
                OR (x->>'amount_cents') !~ '^-?[0-9]{1,18}$' LIMIT 1;
            IF l IS NOT NULL THEN
                RAISE EXCEPTION 'Montant invalide dans une ligne : %.', l USING ERRCODE = '22023';
            END IF;
            IF (SELECT sum((x->>'amount_cents')::numeric) FROM jsonb_array_elements(p_lines) x) <> 0 THEN
                RAISE EXCEPTION 'Opération déséquilibrée : la somme des débits et des crédits doit être nulle.'
                    USING ERRCODE = '23514', CONSTRAINT = 'ledger_transactions__balanced';
            END IF;
            -- Accounts not yet known are made first; then the lines in one
            -- statement, in their order.
            PERFORM ledger_account(c.code)
               FROM (SELECT DISTINCT x->>'account' AS code FROM jsonb_array_elements(p_lines) x) c
              WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a
                                 WHERE a.tenant_id = t AND a.code = c.code);
            INSERT INTO ledger_entries (tenant_id, transaction_id, account_id, driver_id,
                                        posted_on, amount_cents, memo)
            SELECT t, id_, a.id, a.driver_id,
                   coalesce(p_on, (now() AT TIME ZONE 'Europe/Paris')::date),
                   (x.l->>'amount_cents')::bigint, coalesce(x.l->>'memo', '')
              FROM jsonb_array_elements(p_lines) WITH ORDINALITY x(l, n)
              JOIN ledger_accounts a ON a.tenant_id = t AND a.code = x.l->>'account'
             ORDER BY x.n;
            RETURN id_;
        END IF;
    END IF;
    IF old_hash IS DISTINCT FROM h THEN
        RAISE EXCEPTION 'La clé d''écriture « % » sert déjà à une autre opération.', p_key
            USING ERRCODE = '23505', CONSTRAINT = 'ledger_transactions__key__reused';
    END IF;
    RETURN id_;
END
$$;

CREATE FUNCTION ledger_post(p_key text, p_kind text, p_memo text, p_lines jsonb,
                            p_on date DEFAULT NULL)
RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT ledger_write(p_key, p_kind, p_memo, p_lines, p_on, NULL)
$$;

CREATE FUNCTION ledger_reverse(p_key text, p_transaction uuid, p_memo text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    t uuid := app_tenant();
    lines jsonb;
BEGIN
    SELECT jsonb_agg(jsonb_build_object('account', a.code, 'amount_cents', -e.amount_cents,
                                        'memo', e.memo) ORDER BY e.id)
      INTO lines
      FROM ledger_entries e JOIN ledger_accounts a
        ON a.tenant_id = e.tenant_id AND a.id = e.account_id
     WHERE e.tenant_id = t AND e.transaction_id = p_transaction;
    IF lines IS NULL THEN
        RAISE EXCEPTION 'Opération inconnue.' USING ERRCODE = '22023';
    END IF;
    RETURN ledger_write(p_key, 'reversal', p_memo, lines, NULL, p_transaction);
END
$$;

-- What the fleet owes a driver (negative: what the driver owes), the sum
-- of their account's entries, sign turned.
CREATE FUNCTION ledger_driver_balance(p_driver uuid) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT coalesce(-sum(e.amount_cents), 0)::bigint FROM ledger_entries e
     WHERE e.tenant_id = app_tenant() AND e.driver_id = p_driver
       AND e.account_id = (SELECT a.id FROM ledger_accounts a
                            WHERE a.tenant_id = app_tenant() AND a.code = 'driver:' || p_driver)
$$;

-- ---- Privileges and row-level security -------------------------------------

REVOKE ALL ON ledger_accounts, ledger_transactions, ledger_entries FROM fleetcore_app;
GRANT SELECT ON ledger_accounts, ledger_transactions, ledger_entries TO fleetcore_app;
REVOKE ALL ON FUNCTION ledger_immutable, ledger_entry_guard, ledger_balanced,
    ledger_no_truncate FROM PUBLIC;
REVOKE ALL ON FUNCTION ledger_account, ledger_write, ledger_post, ledger_reverse FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ledger_account, ledger_post, ledger_reverse TO fleetcore_app;

-- The office sees its organisation's ledger; a driver sees only the
-- entries and accounts that are theirs.
ALTER TABLE ledger_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY ledger_accounts_tenant ON ledger_accounts FOR SELECT
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR driver_id = (SELECT app_driver_id())));
ALTER TABLE ledger_transactions ENABLE ROW LEVEL SECURITY;
CREATE POLICY ledger_transactions_tenant ON ledger_transactions FOR SELECT
    USING (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));
ALTER TABLE ledger_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY ledger_entries_tenant ON ledger_entries FOR SELECT
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR driver_id = (SELECT app_driver_id())));
