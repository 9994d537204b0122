package com.qiledger.api.finance;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.e2e.MigratedDatabase;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A journal written before V29, with day, month and year rows for every summed prefix of its postings'
 * addresses: V29 keeps only the fixed accounts' rows, V30 drops the entities' account rows, V31 the
 * {@code summed} flag, and every address's balance as of every date is what it was before.
 */
class JournalMigrationTest {

    private static final List<String> SUMMED = List.of("assets", "assets:cash", "assets:cash:provider", "suspense",
            "suspense:collections", "suspense:collections:bank_slips");

    @Test
    void v29KeepsTheFixedAccountsRowsAndEveryBalance() {
        try (MigratedDatabase db = MigratedDatabase.upTo("journal-migration", "28")) {
            JdbcClient jdbc = db.jdbc();
            // as the version before wrote them: two paid slips, 10 on 2024-05-20 and 5.25 on 2024-05-10, and
            // one on 2023-12-31 of 7; every summed prefix of both sides got the same day, month and year rows
            for (String slip : List.of("s1", "s2", "s3")) {
                account(jdbc, "suspense:collections:bank_slips:" + slip, false);
            }
            SUMMED.forEach(a -> account(jdbc, a, true));
            for (String a : SUMMED) {
                boolean debit = a.startsWith("assets");
                move(jdbc, a, debit, "D", "2024-05-20", "10");
                move(jdbc, a, debit, "D", "2024-05-10", "5.25");
                move(jdbc, a, debit, "M", "2024-05-01", "15.25");
                move(jdbc, a, debit, "Y", "2024-01-01", "15.25");
                move(jdbc, a, debit, "D", "2023-12-31", "7");
                move(jdbc, a, debit, "M", "2023-12-01", "7");
                move(jdbc, a, debit, "Y", "2023-01-01", "7");
            }
            List<String> days = List.of("2023-12-30", "2023-12-31", "2024-01-01", "2024-05-10", "2024-05-19",
                    "2024-05-20", "2025-01-01");
            Map<String, String> before = balances(jdbc, days);

            db.migrate();

            assertThat(jdbc.sql("SELECT DISTINCT account FROM journal_balance ORDER BY account").query(String.class)
                    .list()).containsExactly("assets:cash:provider", "suspense:collections:bank_slips");
            assertThat(jdbc.sql("""
                            SELECT count(*) FROM information_schema.columns
                            WHERE table_name = 'journal_account' AND column_name = 'summed'
                            """).query(Long.class).single()).as("V31 drops the flag every row had").isZero();
            assertThat(balances(jdbc, days)).isEqualTo(before).containsEntry("assets 2024-05-19", "12.25 0")
                    .containsEntry("suspense 2025-01-01", "0 22.25").containsEntry("assets 2023-12-30", "none");
        }
    }

    private static void account(JdbcClient jdbc, String address, boolean summed) {
        int at = address.lastIndexOf(':');
        jdbc.sql("INSERT INTO journal_account (address, parent, depth, summed) VALUES (:a, :p, :d, :s)")
                .param("a", address).param("p", at < 0 ? null : address.substring(0, at))
                .param("d", address.split(":").length).param("s", summed).update();
    }

    private static void move(JdbcClient jdbc, String account, boolean debit, String span, String period, String amount) {
        jdbc.sql("""
                        INSERT INTO journal_balance (account, span, period, debits, credits)
                        VALUES (:a, :s, CAST(:p AS date), CAST(:d AS numeric), CAST(:c AS numeric))
                        ON CONFLICT (account, span, period) DO UPDATE SET debits = journal_balance.debits + EXCLUDED.debits,
                            credits = journal_balance.credits + EXCLUDED.credits
                        """)
                .param("a", account).param("s", span).param("p", period)
                .param("d", debit ? amount : "0").param("c", debit ? "0" : amount).update();
    }

    /** Every summed address's debits and credits as of each day ("none": no row). */
    private static Map<String, String> balances(JdbcClient jdbc, List<String> days) {
        Map<String, String> out = new TreeMap<>();
        for (String a : SUMMED) {
            for (String day : days) {
                String b = jdbc.sql("SELECT debits, credits FROM journal_balance_as_of(:a, CAST(:d AS date))")
                        .param("a", a).param("d", day)
                        .query((rs, n) -> rs.getBigDecimal(1).stripTrailingZeros().toPlainString() + " "
                                + rs.getBigDecimal(2).stripTrailingZeros().toPlainString())
                        .optional().orElse("none");
                out.put(a + " " + day, b);
            }
        }
        return out;
    }
}
