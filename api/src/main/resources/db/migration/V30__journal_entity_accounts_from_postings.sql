-- Issue 20: an entity's own accounts (the addresses below its rule's fixed account, e.g.
-- suspense:collections:bank_slips:<slip>) are no longer rows of journal_account. Under load most
-- deliveries name a new entity, and its row with two index entries cost 26 µs of PostgreSQL per webhook
-- (pg_stat_statements), an eighth of the write path's statements. Such an account exists when a posting
-- names it or an address below it (journal_posting_account_idx answers both with one index range), and
-- its balance was already summed from those postings (V18, V29). journal_account keeps the fixed
-- accounts and the prefixes above them, all summed: a few dozen rows.
DELETE FROM journal_account WHERE NOT summed;

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
          WHERE s.summed AND s.address >= $1 AND s.address < $1 || ';'
            AND (s.address = $1 OR s.address > $1 || ':')
          UNION ALL
          SELECT p.debit, p.credit FROM journal_posting p
          WHERE NOT EXISTS (SELECT 1 FROM journal_account a WHERE a.address = $1)
            AND (p.account = $1 OR (p.account > $1 || ':' AND p.account < $1 || ';'))
            AND p.effective_date <= $2) m
    HAVING count(*) > 0
$$;
