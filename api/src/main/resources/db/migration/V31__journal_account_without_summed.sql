-- Issue 20: since V30 every row of journal_account is a fixed account or a prefix above one, and every
-- one of them is summed from the fixed accounts' day, month and year rows (V29): the column summed is
-- true for all of them and its partial index repeats the primary key. The balance function stops asking
-- for it (first), then both go. Balances are unchanged (JournalMigrationTest: across V29 to V31).

-- The balance of an address up to the end of a day: an address of journal_account is the sum of the day,
-- month and year rows of the fixed accounts at or below it (V29); any other address is the sum of the
-- postings at or below it (an entity's account; nothing for an address no posting names: no row).
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
          WHERE s.address >= $1 AND s.address < $1 || ';'
            AND (s.address = $1 OR s.address > $1 || ':')
          UNION ALL
          SELECT p.debit, p.credit FROM journal_posting p
          WHERE NOT EXISTS (SELECT 1 FROM journal_account a WHERE a.address = $1)
            AND (p.account = $1 OR (p.account > $1 || ':' AND p.account < $1 || ';'))
            AND p.effective_date <= $2) m
    HAVING count(*) > 0
$$;

DROP INDEX journal_account_summed_idx;
ALTER TABLE journal_account DROP COLUMN summed;
