-- The journal's balances (V15) without day, month and year rows for one entity's addresses. An address
-- deeper than the fixed part of its rule's address (suspense:collections:bank_slips:<slip>, and both
-- assets:receivables:installments:<debt> and :<debt>:<installment>) belongs to one entity and has a
-- few postings: its balance as of a date is the sum of those (journal_posting_account_idx), so a
-- posting no longer writes three balance rows for it. Fixed addresses and prefixes, which aggregate
-- many entities, keep their rows. journal_account.summed says which is which (JournalRule.fixedDepth).
--
-- The journal is a read model: it is emptied here and its processor's token removed, so the processor
-- replays every event from the start and writes it again in this layout.
ALTER TABLE journal_account ADD COLUMN summed BOOLEAN NOT NULL DEFAULT TRUE;

TRUNCATE journal_transaction, journal_posting, journal_account, journal_balance, journal_figure;
DELETE FROM tokenentry WHERE processorname = 'journal';

-- The debits and credits of an address up to the end of a day; no row when nothing was posted to it
-- by then. A summed address: three ranges of journal_balance's primary key (the years before, the
-- months of that year before its month, the days of its month up to it). One entity's address: its
-- postings and those of the addresses below it up to that day. The account's kind is read once (an
-- initial plan), so only one of the two branches reads anything.
CREATE OR REPLACE FUNCTION journal_balance_as_of(address TEXT, as_of DATE)
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
            AND b.period >= CAST(date_trunc('month', CAST($2 AS timestamp)) AS date) AND b.period <= $2
          UNION ALL
          SELECT p.debit, p.credit FROM journal_posting p
          WHERE EXISTS (SELECT 1 FROM journal_account a WHERE a.address = $1 AND NOT a.summed)
            AND (p.account = $1 OR (p.account > $1 || ':' AND p.account < $1 || ';'))
            AND p.effective_date <= $2) m
    HAVING count(*) > 0
$$;
