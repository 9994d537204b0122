-- Issue 20: journal_balance kept a day, a month and a year row for every summed prefix of every
-- posting's address: six prefixes for a paid slip (assets, assets:cash, assets:cash:provider,
-- suspense, suspense:collections, suspense:collections:bank_slips), so with payment dates spread over
-- a year about six upserts per webhook, 43 µs of PostgreSQL (pg_stat_statements), the write path's
-- costliest statement. Now a posting adds to the rows of its fixed account only: the deepest of its
-- prefixes that is no entity's (the rule's address up to its first key, or the whole address when it
-- has none; JournalProjection). A summed address's balance is the sum of the fixed accounts at or
-- below it; there are few summed accounts (the chart's fixed part), found by a small partial index.

CREATE INDEX journal_account_summed_idx ON journal_account (address) WHERE summed;

-- The debits and credits of an address up to the end of a day; no row when nothing was posted to it
-- by then. A summed address: for itself and each summed address below it, three ranges of
-- journal_balance's primary key (the years before, the months of that year before its month, the
-- days of its month up to it); only fixed accounts have rows. One entity's address: its postings and
-- those of the addresses below it up to that day. The account's kind is read once (an initial plan),
-- so only one of the two branches reads anything.
CREATE OR REPLACE FUNCTION journal_balance_as_of(address TEXT, as_of DATE)
    RETURNS TABLE (debits NUMERIC, credits NUMERIC) LANGUAGE sql STABLE AS $$
    SELECT sum(m.debits), sum(m.credits)
    FROM (SELECT b.debits, b.credits
          FROM journal_account s
          CROSS JOIN LATERAL (
              SELECT b.debits, b.credits FROM journal_balance b
              WHERE b.account = s.address AND b.span = 'Y'
                AND b.period < CAST(date_trunc('year', CAST($2 AS timestamp)) AS date)
              UNION ALL
              SELECT b.debits, b.credits FROM journal_balance b
              WHERE b.account = s.address AND b.span = 'M'
                AND b.period >= CAST(date_trunc('year', CAST($2 AS timestamp)) AS date)
                AND b.period < CAST(date_trunc('month', CAST($2 AS timestamp)) AS date)
              UNION ALL
              SELECT b.debits, b.credits FROM journal_balance b
              WHERE b.account = s.address AND b.span = 'D'
                AND b.period >= CAST(date_trunc('month', CAST($2 AS timestamp)) AS date) AND b.period <= $2) b
          WHERE s.summed AND s.address >= $1 AND s.address < $1 || ';'
            AND (s.address = $1 OR s.address > $1 || ':')
          UNION ALL
          SELECT p.debit, p.credit FROM journal_posting p
          WHERE EXISTS (SELECT 1 FROM journal_account a WHERE a.address = $1 AND NOT a.summed)
            AND (p.account = $1 OR (p.account > $1 || ':' AND p.account < $1 || ';'))
            AND p.effective_date <= $2) m
    HAVING count(*) > 0
$$;

-- The rows kept so far for prefixes above a fixed account: their moves are the sums of the fixed
-- accounts' rows below them. Under the chart (JournalRule) no fixed account is a prefix of another,
-- so the summed addresses with a summed address below them are exactly those above a fixed account.
DELETE FROM journal_balance b
WHERE EXISTS (SELECT 1 FROM journal_account c WHERE c.parent = b.account AND c.summed);
