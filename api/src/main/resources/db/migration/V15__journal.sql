-- The double-entry journal (processing group "journal", query/.../journal/JournalProjection; see
-- docs/finance.md). A read model like the others: the reset handler truncates these tables and a
-- replay rebuilds them byte for byte. Addresses are compared byte by byte (COLLATE "C"), so that
-- their order and the prefix ranges below do not depend on the server's locale.

-- One transaction per monetary event: its identity is the event's global position. The declared
-- totals must be equal here, and the postings must add up to them (the deferred trigger below).
CREATE TABLE journal_transaction (
    position       BIGINT       NOT NULL,
    event_id       VARCHAR(255) NOT NULL,
    event_type     VARCHAR(64)  NOT NULL,
    entity         VARCHAR(32)  NOT NULL,
    entity_key     VARCHAR(255) NOT NULL,
    receipt_id     VARCHAR(64),
    effective_date DATE         NOT NULL,
    recorded_at    TIMESTAMPTZ  NOT NULL,
    debits         NUMERIC      NOT NULL,
    credits        NUMERIC      NOT NULL,
    CONSTRAINT journal_transaction_pkey PRIMARY KEY (position),
    CONSTRAINT journal_transaction_event_key UNIQUE (event_id),
    CONSTRAINT journal_transaction_balanced CHECK (debits = credits AND debits > 0)
);
CREATE INDEX journal_transaction_effective_idx ON journal_transaction (effective_date, position);

-- One posting a row: exactly one of debit and credit is positive. A reversing posting names the
-- position of the transaction whose posting it takes back (a correction is never an edit).
CREATE TABLE journal_posting (
    position       BIGINT      NOT NULL,
    line           INTEGER     NOT NULL,
    account        TEXT COLLATE "C" NOT NULL,
    debit          NUMERIC     NOT NULL,
    credit         NUMERIC     NOT NULL,
    effective_date DATE        NOT NULL,
    reverses       BIGINT,
    CONSTRAINT journal_posting_pkey PRIMARY KEY (position, line),
    CONSTRAINT journal_posting_one_side CHECK (debit >= 0 AND credit >= 0 AND (debit > 0) <> (credit > 0))
);
CREATE INDEX journal_posting_account_idx ON journal_posting (account, effective_date, position, line);

-- A transaction whose postings do not add up, or do not add up to its declared totals, is refused
-- at commit. On the live tables (schema public) the check's two statements are static, so PL/pgSQL
-- plans them once per session. The tables are named from the trigger's own schema, so the same function serves a
-- rebuild's next generation (ledger_rebuild), whose tables get this trigger too.
CREATE FUNCTION journal_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE CONSTRAINT TRIGGER journal_posting_balanced AFTER INSERT OR UPDATE OR DELETE ON journal_posting
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_transaction_balanced();

-- Every address and every prefix of one (assets, assets:cash, assets:cash:provider), with its parent and depth (1 for a class).
CREATE TABLE journal_account (
    address TEXT COLLATE "C" NOT NULL,
    parent  TEXT COLLATE "C",
    depth   INTEGER NOT NULL,
    CONSTRAINT journal_account_pkey PRIMARY KEY (address)
);
CREATE INDEX journal_account_depth_idx ON journal_account (depth, address);

-- Balances: for every address and prefix, what it moved in each day, month and year it moved (span
-- 'D', 'M', 'Y'; period is the first day of the span). A posting adds to exactly three rows of each
-- of its addresses and prefixes, however far back it is dated, and a balance as of a date is the sum
-- of at most one row a year before it, eleven month rows and thirty-one day rows
-- (journal_balance_as_of): never a sum over history, never a rewrite of later rows.
CREATE TABLE journal_balance (
    account TEXT COLLATE "C" NOT NULL,
    span    CHAR(1) NOT NULL,
    period  DATE    NOT NULL,
    debits  NUMERIC NOT NULL,
    credits NUMERIC NOT NULL,
    CONSTRAINT journal_balance_pkey PRIMARY KEY (account, span, period),
    CONSTRAINT journal_balance_span CHECK (span IN ('D', 'M', 'Y'))
);

-- The debits and credits of an address up to the end of a day; no row when nothing was posted to it
-- by then. Three ranges of the primary key: the years before, the months of that year before its
-- month, the days of its month up to it.
CREATE FUNCTION journal_balance_as_of(address TEXT, as_of DATE)
    RETURNS TABLE (debits NUMERIC, credits NUMERIC) LANGUAGE sql STABLE AS $$
    SELECT sum(m.debits), sum(m.credits)
    FROM (SELECT b.debits, b.credits FROM journal_balance b
          WHERE b.account = $1 AND b.span = 'Y' AND b.period < CAST(date_trunc('year', CAST($2 AS timestamp)) AS date)
          UNION ALL
          SELECT b.debits, b.credits FROM journal_balance b
          WHERE b.account = $1 AND b.span = 'M'
            AND b.period >= CAST(date_trunc('year', CAST($2 AS timestamp)) AS date)
            AND b.period < CAST(date_trunc('month', CAST($2 AS timestamp)) AS date)
          UNION ALL
          SELECT b.debits, b.credits FROM journal_balance b
          WHERE b.account = $1 AND b.span = 'D'
            AND b.period >= CAST(date_trunc('month', CAST($2 AS timestamp)) AS date) AND b.period <= $2) m
    HAVING count(*) > 0
$$;

-- The standing figure of each entity that a later event may correct (a slip's amount in transit, a
-- payment key's amount, a batch's conciliated amount, a billing's total, a collateral's lock): what
-- was posted, to which accounts, by which transaction and at which date, so that a correction reverses
-- exactly that, never dated before it.
CREATE TABLE journal_figure (
    entity         VARCHAR(32)  NOT NULL,
    entity_key     VARCHAR(255) NOT NULL,
    figure         VARCHAR(300) NOT NULL,
    amount         NUMERIC      NOT NULL,
    debit_account  TEXT COLLATE "C" NOT NULL,
    credit_account TEXT COLLATE "C" NOT NULL,
    position       BIGINT       NOT NULL,
    effective_date DATE         NOT NULL,
    CONSTRAINT journal_figure_pkey PRIMARY KEY (entity, entity_key, figure)
);
