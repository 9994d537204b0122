package com.qiledger.query.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.JdbcOperations;

/**
 * What a batched replay sends: per table, that table's writes in the order they were made, runs of
 * one statement as one JDBC batch with positional parameters; a read sends only its own table's queue first.
 */
class BatchedWritesTest {

    // upserts whose key PostgreSQL computes: sent as JDBC batches (plain inserts and upserts keyed by a
    // parameter go multi-row, see the last tests)
    static final String A1 = "INSERT INTO table_a (id) VALUES (abs(:id)) ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id";
    static final String A2 = "UPDATE table_a SET id = :id";
    static final String B = "\n  insert into Table_B AS v (id) VALUES (abs(:id)) ON CONFLICT (id) DO UPDATE SET id = 1";
    static final String C = "INSERT INTO table_c (id) VALUES (:id) ON CONFLICT DO NOTHING";
    static final String D = "INSERT INTO table_d AS v (id, n) VALUES (:id, :n) ON CONFLICT (id) DO UPDATE SET n = v.n + :n2";

    /** Every batch sent: its statement and the ids of its rows, in order ("C*" a multi-row statement). */
    final List<String> sent = new ArrayList<>();
    final JdbcOperations positional = (JdbcOperations) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {JdbcOperations.class},
            (proxy, method, args) -> {
                String sql = (String) args[0];
                if (method.getName().equals("batchUpdate") && args.length == 2 && args[1] instanceof List<?> rows) {
                    sent.add(label(sql) + rows.stream().map(r -> String.valueOf(((Object[]) r)[0])).toList());
                    return new int[rows.size()];
                }
                if (method.getName().equals("update") && args.length == 2 && args[1] instanceof PlainBinding binding) {
                    sent.add(label(sql) + Arrays.stream(binding.args()).map(String::valueOf).toList());
                    return binding.args().length;
                }
                if (method.getName().equals("update") && args.length == 2 && args[1] instanceof ColumnBinding binding) {
                    // the rows' values row by row, then the values after the tuple
                    List<Object> values = new ArrayList<>();
                    for (int row = 0; row < binding.columns()[0].length; row++) {
                        for (Object[] column : binding.columns()) {
                            values.add(column[row]);
                        }
                    }
                    values.addAll(Arrays.asList(binding.sharedArgs()));
                    sent.add(label(sql) + values.stream().map(String::valueOf).toList());
                    return binding.columns()[0].length;
                }
                if (method.getName().equals("update") && args.length == 2 && args[1] instanceof Object[] values) {
                    sent.add(label(sql) + Arrays.stream(values).map(String::valueOf).toList());
                    return values.length;
                }
                throw new UnsupportedOperationException(method.getName());
            });
    final NamedParameterJdbcOperations jdbc = (NamedParameterJdbcOperations) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {NamedParameterJdbcOperations.class},
            (proxy, method, args) -> {
                if (method.getName().equals("getJdbcOperations")) {
                    return positional;
                }
                throw new UnsupportedOperationException(method.getName());
            });

    /** The statement's name; a multi-row statement (positional, several tuples) of C is "C*". */
    static String label(String sql) {
        for (String named : List.of(A1, A2, B, C)) {
            if (sql.equals(Positional.of(named).sql())) {
                return named.equals(A1) ? "A1" : named.equals(A2) ? "A2" : named.equals(B) ? "B" : "C";
            }
        }
        return sql.startsWith("INSERT INTO table_c (id) VALUES (?)") ? "C*"
                : sql.startsWith("INSERT INTO table_d AS v (id, n) VALUES (?, ?)") ? "D*"
                : sql.startsWith("INSERT INTO table_c (id) SELECT u.c1\nFROM unnest(CAST(? AS int4[]))") ? "C#"
                : sql.startsWith("INSERT INTO table_d AS v (id, n) SELECT u.c1, u.c2\nFROM unnest(") ? "D#" : sql;
    }

    static void write(String sql, int id) {
        BatchedWrites.sql(null, sql).param("id", id).update();
    }

    @Test
    void writesToDifferentTablesAreSentTableByTableEachInItsOrder() {
        BatchedWrites.batched(jdbc, () -> {
            write(A1, 1);
            write(B, 2);
            write(A1, 3);
            write(B, 4);
            write(A1, 5);
        });
        assertThat(sent).containsExactly("A1[1, 3, 5]", "B[2, 4]");
    }

    @Test
    void statementsOfOneTableKeepTheirOrderEvenWhenTheyAlternate() {
        BatchedWrites.batched(jdbc, () -> {
            write(A1, 1);
            write(A1, 2);
            write(B, 3);
            write(A2, 4);
            write(A1, 5);
        });
        assertThat(sent).containsExactly("A1[1, 2]", "A2[4]", "A1[5]", "B[3]");
    }

    @Test
    void aReadSendsOnlyTheQueueOfItsTable() {
        List<List<String>> sentAtRead = new ArrayList<>();
        BatchedWrites.batched(jdbc, () -> {
            write(A1, 1);
            write(B, 2);
            BatchedWrites.beforeRead("TABLE_B");
            sentAtRead.add(List.copyOf(sent));
            write(B, 3);
            BatchedWrites.beforeRead("table_c");
            sentAtRead.add(List.copyOf(sent));
        });
        assertThat(sentAtRead).containsExactly(List.of("B[2]"), List.of("B[2]"));
        assertThat(sent).containsExactly("B[2]", "A1[1]", "B[3]");
    }

    @Test
    void outsideABatchedRunAReadSendsNothing() {
        BatchedWrites.beforeRead("table_a");
        assertThat(sent).isEmpty();
    }

    @Test
    void aWriteThatNamesNoTableIsRefusedWhenQueued() {
        assertThatThrownBy(() -> BatchedWrites.batched(jdbc, () -> write("SELECT 1 WHERE :id > 0", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("INSERT INTO, UPDATE or DELETE FROM one table")
                .hasMessageContaining("SELECT 1");
        assertThat(sent).isEmpty();
    }

    @Test
    void theTableIsTheNameAfterTheVerbWhateverItsCase() {
        assertThat(BatchedWrites.tableOf("INSERT INTO fin_bank_slip AS v (a) VALUES (1)")).isEqualTo("fin_bank_slip");
        assertThat(BatchedWrites.tableOf("  delete from Ledger_Entry where true")).isEqualTo("ledger_entry");
        assertThat(BatchedWrites.tableOf("UPDATE ledger_rebuild.x SET a = 1")).isEqualTo("ledger_rebuild.x");
    }

    @Test
    void aRunLocalValueLivesAsLongAsOneBatchedRun() {
        BatchedWrites.RunLocal<List<Integer>> seen = new BatchedWrites.RunLocal<>(ArrayList::new);
        List<List<Integer>> perRun = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            int id = run;
            BatchedWrites.batched(jdbc, () -> {
                seen.get().orElseThrow().add(id);
                seen.get().orElseThrow().add(id + 10);
                perRun.add(seen.get().orElseThrow());
            });
        }
        assertThat(perRun).containsExactly(List.of(0, 10), List.of(1, 11));
        assertThat(seen.get()).isEmpty();
    }

    @Test
    void aGuardedUpsertQueuedInARunIsTakenAsAppliedAndSentInItsTablesOrder() {
        List<Boolean> applied = new ArrayList<>();
        BatchedWrites.batched(jdbc, () -> {
            write(A1, 1);
            applied.add(BatchedWrites.sql(null, A1).param("id", 2).applyGuarded());
            applied.add(sent.isEmpty());
        });
        assertThat(applied).containsExactly(true, true);
        assertThat(sent).containsExactly("A1[1, 2]");
    }

    @Test
    void aRunOfAnInsertThatMayGoMultiRowGoesAsOneStatementOfColumns() {
        BatchedWrites.batched(jdbc, () -> {
            for (int id = 1; id <= 7; id++) {
                write(C, id);
            }
        });
        BatchedWrites.batched(jdbc, () -> write(C, 9)); // a run of one goes as the plain statement
        assertThat(sent).containsExactly("C#[1, 2, 3, 4, 5, 6, 7]", "C[9]");
    }

    /** A run whose column would hold values of two types goes as VALUES lists of power-of-two sizes. */
    @Test
    void aRunTheColumnFormCannotCarryGoesAsStatementsOfPowerOfTwoSizesInOrder() {
        BatchedWrites.batched(jdbc, () -> {
            for (int id = 1; id <= 7; id++) {
                BatchedWrites.sql(null, C).param("id", id == 3 ? (Object) 3L : (Object) id).update();
            }
        });
        // a multi-row statement of one row is the plain statement's positional text
        assertThat(sent).containsExactly("C*[1, 2, 3, 4]", "C*[5, 6]", "C[7]");
    }

    /**
     * An upsert keyed by a parameter (issue 20) goes multi-row, a new statement wherever its key would
     * repeat or the parameter after its tuple changes: PostgreSQL refuses to touch a row twice in one
     * statement, and binds {@code :n2} once per statement.
     */
    @Test
    void anUpsertKeyedByAParameterGoesMultiRowCutWhereAKeyRepeatsOrItsSharedValueChanges() {
        BatchedWrites.batched(jdbc, () -> {
            for (int[] row : new int[][] {{1, 1}, {2, 1}, {1, 1}, {3, 1}, {4, 2}, {5, 2}}) {
                BatchedWrites.sql(null, D).param("id", row[0]).param("n", 10 * row[0]).param("n2", row[1]).update();
            }
        });
        // each statement's values: the rows' (id, n) pairs, then its one :n2
        assertThat(sent).containsExactly("D#[1, 10, 2, 20, 1]", "D#[1, 10, 3, 30, 1]", "D#[4, 40, 5, 50, 2]");
    }
}
