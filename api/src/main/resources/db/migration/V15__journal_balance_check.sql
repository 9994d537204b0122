-- The journal's balance check (V13) made cheaper, same rule: it refuses at commit a transaction whose
-- postings do not add up, or not to its declared totals. On the live tables (schema public) its two
-- statements are static, so PL/pgSQL plans them once per session instead of once per posting; a
-- rebuild's next generation (another schema) is still checked through dynamic SQL naming its own
-- tables.
CREATE OR REPLACE FUNCTION journal_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tx               BIGINT := CASE WHEN TG_OP = 'DELETE' THEN OLD.position ELSE NEW.position END;
    posted_debits    NUMERIC;
    posted_credits   NUMERIC;
    declared_debits  NUMERIC;
    declared_credits NUMERIC;
BEGIN
    IF TG_TABLE_SCHEMA = 'public' THEN
        SELECT COALESCE(sum(debit), 0), COALESCE(sum(credit), 0) INTO posted_debits, posted_credits
        FROM public.journal_posting WHERE position = tx;
        SELECT debits, credits INTO declared_debits, declared_credits
        FROM public.journal_transaction WHERE position = tx;
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
    RETURN NULL;
END
$$;
