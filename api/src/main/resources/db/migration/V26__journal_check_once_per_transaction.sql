-- Issue 20: the journal's balance check (V15) once per transaction instead of once per posting. The
-- deferred trigger fires for every posting row at commit, and each firing read the transaction's
-- postings and its declared totals again: two postings a slip payment, four with a reversal, so two
-- to four times the same check (pg_stat_statements: 15 µs of PostgreSQL per webhook, a twentieth of
-- its share). Now a firing reads both in one statement, and a firing for the transaction the firing
-- before it just checked, in the same statement, returns at once: at commit every deferred firing runs
-- in the COMMIT statement, over rows that no longer change, and a transaction's postings are queued one
-- after another. The mark (schema, position and statement_timestamp(), local to the transaction) makes
-- any other statement check again, as one with the constraint set IMMEDIATE would. The refusal and its
-- message are unchanged.
CREATE OR REPLACE FUNCTION journal_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tx               BIGINT := CASE WHEN TG_OP = 'DELETE' THEN OLD.position ELSE NEW.position END;
    mark             TEXT := TG_TABLE_SCHEMA || ':' || tx || ':' || statement_timestamp();
    posted_debits    NUMERIC;
    posted_credits   NUMERIC;
    declared_debits  NUMERIC;
    declared_credits NUMERIC;
BEGIN
    IF current_setting('ledger.journal_checked', true) = mark THEN
        RETURN NULL;
    END IF;
    IF TG_TABLE_SCHEMA = 'public' THEN
        SELECT t.debits, t.credits, p.debits, p.credits
        INTO declared_debits, declared_credits, posted_debits, posted_credits
        FROM (SELECT COALESCE(sum(debit), 0) AS debits, COALESCE(sum(credit), 0) AS credits
              FROM public.journal_posting WHERE position = tx) p
        LEFT JOIN public.journal_transaction t ON t.position = tx;
    ELSE
        EXECUTE format('SELECT COALESCE(sum(debit), 0), COALESCE(sum(credit), 0) FROM %I.%I WHERE position = $1',
                       TG_TABLE_SCHEMA, TG_TABLE_NAME)
            INTO posted_debits, posted_credits USING tx;
        EXECUTE format('SELECT debits, credits FROM %I.journal_transaction WHERE position = $1', TG_TABLE_SCHEMA)
            INTO declared_debits, declared_credits USING tx;
    END IF;
    IF declared_debits IS NULL AND posted_debits = 0 AND posted_credits = 0 THEN
        RETURN NULL; -- the transaction and its postings are gone together
    END IF;
    IF posted_debits <> posted_credits OR declared_debits IS NULL
            OR posted_debits <> declared_debits OR posted_credits <> declared_credits THEN
        RAISE EXCEPTION 'unbalanced journal transaction at position %: postings debit % and credit %, declared % and %',
            tx, posted_debits, posted_credits, declared_debits, declared_credits
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM set_config('ledger.journal_checked', mark, true);
    RETURN NULL;
END
$$;
