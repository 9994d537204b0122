package com.qiledger.query.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which statements go as multi-row inserts, the text they become, and that PostgreSQL writes the same
 * rows as it would one statement at a time: types, nulls, a skipped duplicate, and an upsert whose
 * projection folds its rows.
 */
class MultiRowInsertTest {

    static final String PLAIN = """
            INSERT INTO t (a, b, c) VALUES (:a, CAST(:b AS jsonb), string_to_array(:c, ','))
            """;

    @Test
    void eachRowGetsItsOwnParametersCastsAndLiteralsKept() {
        MultiRowInsert rows = MultiRowInsert.of(PLAIN).orElseThrow();
        assertThat(rows.text(2)).isEqualTo("""
                INSERT INTO t (a, b, c) VALUES (?, CAST(? AS jsonb), string_to_array(?, ',')),
                (?, CAST(? AS jsonb), string_to_array(?, ','))
                """);
        assertThat(MultiRowInsert.of("INSERT INTO t AS v (a) VALUES (:a::bigint) ON CONFLICT (a) DO NOTHING")
                .orElseThrow().text(2))
                .isEqualTo("INSERT INTO t AS v (a) VALUES (?::bigint),\n(?::bigint) ON CONFLICT (a) DO NOTHING");
    }

    @Test
    void onlyStatementsWhoseRowsMayShareOneStatementGoMultiRow() {
        assertThat(MultiRowInsert.of("INSERT INTO t (a) VALUES (:a) ON CONFLICT DO NOTHING")).isPresent();
        assertThat(MultiRowInsert.of("INSERT INTO t (a) VALUES (:a) ON CONFLICT (a) DO UPDATE SET a = EXCLUDED.a"))
                .as("an upsert whose key is a plain parameter: cut where a key repeats").isPresent();
        assertThat(MultiRowInsert.of("INSERT INTO t AS v (a, b) VALUES (CAST(:a AS uuid), :b) ON CONFLICT (a) "
                + "DO UPDATE SET b = CASE WHEN :current THEN EXCLUDED.b ELSE v.b END").orElseThrow().text(2))
                .as("a parameter after the tuple is bound once per statement").isEqualTo(
                        "INSERT INTO t AS v (a, b) VALUES (CAST(? AS uuid), ?),\n(CAST(? AS uuid), ?) ON CONFLICT (a) "
                        + "DO UPDATE SET b = CASE WHEN ? THEN EXCLUDED.b ELSE v.b END");
        assertThat(MultiRowInsert.of("INSERT INTO t (a) VALUES (lower(:a)) ON CONFLICT (a) DO UPDATE SET a = EXCLUDED.a"))
                .as("a key PostgreSQL computes: its rows cannot be told apart here").isEmpty();
        assertThat(MultiRowInsert.of("INSERT INTO t (a, b) VALUES (:a, :b) ON CONFLICT ON CONSTRAINT t_pkey "
                + "DO UPDATE SET b = EXCLUDED.b")).as("a key by constraint name").isEmpty();
        assertThat(MultiRowInsert.of("INSERT INTO t (b) VALUES (:b) ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b"))
                .as("a key column the rows do not set").isEmpty();
        assertThat(MultiRowInsert.of("INSERT INTO t (a) VALUES (:a) RETURNING a")).isEmpty();
        assertThat(MultiRowInsert.of("INSERT INTO t (a) SELECT :a")).isEmpty();
        assertThat(MultiRowInsert.of("UPDATE t SET a = :a")).isEmpty();
        String folded = MultiRowInsert.distinctRows(
                "INSERT INTO t AS x (a, n) VALUES (:a, :n) ON CONFLICT (a) DO UPDATE SET n = x.n + EXCLUDED.n");
        assertThat(MultiRowInsert.of(folded)).as("declared by its projection: one row per key in a run").isPresent();
    }

    @Test
    void postgresqlWritesTheSameRowsAsOneStatementAtATime() {
        ReadModelDatabase db = ReadModelDatabase.emptied();
        JdbcClient jdbc = db.jdbc();
        jdbc.sql("CREATE TEMP TABLE multi_row (id BIGINT PRIMARY KEY, day DATE, amount NUMERIC(19,2), note TEXT)")
                .update();
        jdbc.sql("CREATE TEMP TABLE multi_sum (k TEXT PRIMARY KEY, n NUMERIC NOT NULL)").update();
        jdbc.sql("INSERT INTO multi_sum VALUES ('a', 1)").update();
        String insert = "INSERT INTO multi_row (id, day, amount, note) VALUES (:id, :day, :amount, :note) "
                + "ON CONFLICT DO NOTHING";
        String sum = MultiRowInsert.distinctRows(
                "INSERT INTO multi_sum AS s (k, n) VALUES (:k, :n) ON CONFLICT (k) DO UPDATE SET n = s.n + EXCLUDED.n");
        try {
            BatchedWrites.batched(db.named(), () -> {
                for (int id = 1; id <= 100; id++) {
                    BatchedWrites.sql(jdbc, insert).param("id", id % 99) // 0 and 1 twice: the later is skipped
                            .param("day", id % 2 == 0 ? null : LocalDate.of(2024, 2, 29).plusDays(id), Types.DATE)
                            .param("amount", new BigDecimal(id + ".05"))
                            .param("note", id % 3 == 0 ? null : "<n" + id + ">", Types.VARCHAR)
                            .update();
                }
                BatchedWrites.sql(jdbc, sum).param("k", "a").param("n", BigDecimal.TEN).update();
                BatchedWrites.sql(jdbc, sum).param("k", "b").param("n", BigDecimal.ONE).update();
            });
            assertThat(jdbc.sql("SELECT count(*) FROM multi_row").query(Long.class).single()).isEqualTo(99L);
            assertThat(jdbc.sql("SELECT id || ' ' || coalesce(day::text, '-') || ' ' || amount || ' ' "
                            + "|| coalesce(note, '-') FROM multi_row WHERE id IN (0, 1, 2, 3, 98) ORDER BY id")
                    .query(String.class).list())
                    .containsExactly("0 2024-06-07 99.05 -", "1 2024-03-01 1.05 <n1>",
                            "2 - 2.05 <n2>", "3 2024-03-03 3.05 -", "98 - 98.05 <n98>");
            assertThat(jdbc.sql("SELECT k || '=' || n FROM multi_sum ORDER BY k").query(String.class).list())
                    .isEqualTo(List.of("a=11", "b=1"));
        } finally {
            jdbc.sql("DROP TABLE multi_row, multi_sum").update();
        }
    }

    /**
     * A guarded upsert (issue 20) whose run repeats keys and changes its {@code :current} goes as several
     * multi-row statements, and PostgreSQL ends with the rows it would have after one statement a row:
     * a repeated key starts the next statement (else PostgreSQL refuses to touch a row twice in one),
     * so does another {@code :current}; keys PostgreSQL tells apart but this comparison does not
     * ({@code A} and {@code a}) are merely cut apart.
     */
    @Test
    void anUpsertRepeatingKeysIsCutIntoStatementsOfDistinctKeysWithTheSameResult() {
        ReadModelDatabase db = ReadModelDatabase.emptied();
        JdbcClient jdbc = db.jdbc();
        jdbc.sql("CREATE TEMP TABLE multi_up (k TEXT PRIMARY KEY, n INT, note TEXT, position BIGINT)").update();
        String upsert = """
                INSERT INTO multi_up AS v (k, n, note, position) VALUES (:k, :n, :note, :position)
                ON CONFLICT (k) DO UPDATE SET n = v.n + EXCLUDED.n,
                    note = CASE WHEN :current THEN EXCLUDED.note ELSE v.note END, position = EXCLUDED.position
                WHERE v.position < EXCLUDED.position
                """;
        assertThat(MultiRowInsert.of(upsert)).isPresent();
        record Row(String k, int n, String note, long position, boolean current) {
        }
        List<Row> rows = List.of(new Row("a", 1, "x", 1, true), new Row("b", 1, "y", 2, true),
                new Row("a", 1, "z", 3, false), new Row("a", 1, "w", 4, true), new Row("A", 7, "big", 5, true),
                new Row("c", 5, "q", 6, true), new Row("b", 1, "stale", 1, true));
        try {
            BatchedWrites.batched(db.named(), () -> rows.forEach(r -> BatchedWrites.sql(jdbc, upsert)
                    .param("k", r.k()).param("n", r.n()).param("note", r.note()).param("position", r.position())
                    .param("current", r.current()).update()));
            assertThat(jdbc.sql("SELECT k || ' ' || n || ' ' || note || ' ' || position FROM multi_up ORDER BY k")
                    .query(String.class).list())
                    .containsExactly("A 7 big 5", "a 3 w 4", "b 1 y 2", "c 5 q 6");
        } finally {
            jdbc.sql("DROP TABLE multi_up").update();
        }
    }

    @Test
    void aValueSpringExpandsIntoAListStillReachesPostgresqlAsOneParameterEach() {
        ReadModelDatabase db = ReadModelDatabase.emptied();
        JdbcClient jdbc = db.jdbc();
        jdbc.sql("CREATE TEMP TABLE multi_in (id BIGINT PRIMARY KEY, tag TEXT)").update();
        try {
            jdbc.sql("INSERT INTO multi_in VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')").update();
            BatchedWrites.batched(db.named(), () -> {
                // positional for the first, an IN list for the second: the run goes through Spring's expansion
                BatchedWrites.sql(jdbc, "UPDATE multi_in SET tag = :tag WHERE id IN (:ids)")
                        .param("tag", "x").param("ids", 1L).update();
                BatchedWrites.sql(jdbc, "UPDATE multi_in SET tag = :tag WHERE id IN (:ids)")
                        .param("tag", "y").param("ids", List.of(2L, 3L)).update();
            });
            assertThat(jdbc.sql("SELECT string_agg(id || tag, ' ' ORDER BY id) FROM multi_in").query(String.class)
                    .single()).isEqualTo("1x 2y 3y 4d");
        } finally {
            jdbc.sql("DROP TABLE multi_in").update();
        }
    }

    @Test
    void theColumnFormReadsEachTupleParameterFromItsOwnArrayInTheRowsOrder() {
        MultiRowInsert rows = MultiRowInsert.of(PLAIN).orElseThrow();
        assertThat(rows.columnText(List.of("int8", "varchar", "varchar"))).isEqualTo("""
                INSERT INTO t (a, b, c) SELECT u.c1, CAST(u.c2 AS jsonb), string_to_array(u.c3, ',')
                FROM unnest(CAST(? AS int8[]), CAST(? AS varchar[]), CAST(? AS varchar[])) WITH ORDINALITY \
                AS u(c1, c2, c3, ord) ORDER BY u.ord
                """);
        assertThat(ColumnBinding.typeOf(java.time.Instant.EPOCH)).as("a class it does not know").isNull();
        assertThat(ColumnBinding.typeOf(new org.springframework.jdbc.core.SqlParameterValue(Types.DATE, "2024-01-01")))
                .as("a declared type its value does not have").isNull();
        assertThat(ColumnBinding.typeOf(new org.springframework.jdbc.core.SqlParameterValue(Types.BIGINT, 7)))
                .isEqualTo("int8");
        assertThat(ColumnBinding.typeOf(new org.springframework.jdbc.core.SqlParameterValue(Types.BIGINT, 7.5)))
                .as("a whole-number type declared for a value of a class it does not know").isNull();
    }

    /**
     * Issue 20: the same rows written by a batched run (the column form, one array per parameter) and
     * one plain statement at a time (each value bound alone by the driver) are the same rows, value for
     * value: every type the column form carries, declared and untyped nulls, strings an array literal
     * must quote, numbers of other scales, instants with nanoseconds to round, expressions over
     * parameters, and a duplicate key skipped after the first. A run whose column mixes types still goes, as VALUES lists.
     */
    @Test
    void theColumnFormWritesWhatOneStatementAtATimeWrites() {
        ReadModelDatabase db = ReadModelDatabase.emptied();
        JdbcClient jdbc = db.jdbc();
        for (String table : List.of("col_batched", "col_alone")) {
            jdbc.sql("CREATE TEMP TABLE " + table + " (id BIGINT PRIMARY KEY, n INT, label VARCHAR(40), note TEXT, "
                    + "amount NUMERIC(19,2), raw NUMERIC, flag BOOLEAN, day DATE, ref UUID, bytes BYTEA, "
                    + "at TIMESTAMPTZ, tags TEXT[], doc JSONB)").update();
        }
        String insert = """
                INSERT INTO %s (id, n, label, note, amount, raw, flag, day, ref, bytes, at, tags, doc)
                VALUES (:id, :n, :label, :note, :amount, :raw, :flag, :day, :ref, :bytes, :at,
                    string_to_array(:tags, ','), CAST(:doc AS jsonb))
                ON CONFLICT DO NOTHING
                """;
        java.util.function.BiConsumer<String, Integer> write = (table, i) -> BatchedWrites.sql(jdbc,
                        insert.formatted(table))
                .param("id", (long) (i % 40)) // 0 to 9 twice: the later row is skipped
                .param("n", i % 4 == 0 ? null : i * 7, Types.INTEGER)
                .param("label", i % 5 == 0 ? null : i == 7 ? "NULL" : i == 8 ? "" : i == 9 ? "  spaced  "
                        : "l'\"{" + i + "}\\,", Types.VARCHAR)
                .param("note", i == 1 ? null : "n\u00e7" + i) // an untyped null among strings
                .param("amount", new BigDecimal(i + ".005"))
                .param("raw", i % 3 == 0 ? new BigDecimal("1E+" + i) : new BigDecimal("-0." + i + "000"))
                .param("flag", i % 2 == 0)
                .param("day", i % 6 == 0 ? null : LocalDate.of(2024, 2, 29).plusDays(i * 31L), Types.DATE)
                .param("ref", java.util.UUID.nameUUIDFromBytes(new byte[] {i.byteValue()}))
                .param("bytes", new byte[] {0, i.byteValue(), (byte) 255, '\\', '"'})
                .param("at", java.sql.Timestamp.from(java.time.Instant.ofEpochSecond(1_711_850_399L + i * 86_399L,
                        new int[] {123_456_000, 123_456_500, 123_456_499, 999_999_500, 999_999_499, 7}[i % 6])),
                        Types.TIMESTAMP)
                .param("tags", "a" + i + ",b")
                .param("doc", "{\"k\": " + i + "}")
                .update();
        List<String> statements = new java.util.ArrayList<>();
        var recording = new org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate(
                new org.springframework.jdbc.core.JdbcTemplate(db.named().getJdbcTemplate().getDataSource()) {
                    @Override
                    public int update(String sql, org.springframework.jdbc.core.PreparedStatementSetter setter) {
                        statements.add(sql.contains("FROM unnest(") ? "columns" : "values");
                        return super.update(sql, setter);
                    }
                });
        try {
            BatchedWrites.batched(recording, () -> {
                for (int i = 1; i <= 50; i++) {
                    write.accept("col_batched", i);
                }
            });
            assertThat(statements).containsExactly("columns");
            for (int i = 1; i <= 50; i++) {
                write.accept("col_alone", i);
            }
            String columns = "id, n, label, note, amount, raw::text, flag, day, ref, bytes, at, tags, doc::text";
            assertThat(jdbc.sql("SELECT count(*) FROM col_batched").query(Long.class).single()).isEqualTo(40L);
            String rows = "SELECT CAST(ROW(" + columns + ") AS text) FROM %s ORDER BY id";
            assertThat(jdbc.sql(rows.formatted("col_batched")).query(String.class).list())
                    .isEqualTo(jdbc.sql(rows.formatted("col_alone")).query(String.class).list());
            assertThat(jdbc.sql("SELECT raw::text || ' ' || at::text FROM col_batched WHERE id = 3")
                    .query(String.class).single()).startsWith("1000 2024-04-03");

            jdbc.sql("TRUNCATE col_batched").update();
            statements.clear();
            BatchedWrites.batched(recording, () -> {
                for (int i = 1; i <= 5; i++) {
                    BatchedWrites.sql(jdbc, "INSERT INTO col_batched (id, n) VALUES (:id, :n)")
                            .param("id", i == 2 ? (Object) 2 : (Object) (long) i).param("n", i).update();
                }
            });
            assertThat(jdbc.sql("SELECT string_agg(id || ':' || n, ' ' ORDER BY id) FROM col_batched")
                    .query(String.class).single()).isEqualTo("1:1 2:2 3:3 4:4 5:5");
            assertThat(statements).containsExactly("values", "values"); // 4 + 1 rows
        } finally {
            jdbc.sql("DROP TABLE col_batched, col_alone").update();
        }
    }

    /**
     * Issue 20: rows of {@link TypedParameters} are read by slot, each value with its registered type and
     * no typed wrapper; the same rows as Spring's {@code MapSqlParameterSource} (read as Spring passes each
     * value) bind to the same arrays, or to none: rows setting their names in other orders, a value set
     * as a {@code SqlParameterValue}, typed and untyped nulls, a declared type the value does not have.
     */
    @Test
    void rowsReadBySlotBindAsTheSameRowsReadAsSpringPassesThem() {
        List<String> names = List.of("id", "label", "day", "amount");
        java.util.function.BiFunction<Boolean, Integer, List<org.springframework.jdbc.core.namedparam.SqlParameterSource>>
                rows = (ours, variant) -> {
                    List<org.springframework.jdbc.core.namedparam.SqlParameterSource> out = new java.util.ArrayList<>();
                    for (int i = 0; i < 4; i++) {
                        TypedParameters t = new TypedParameters();
                        var m = new org.springframework.jdbc.core.namedparam.MapSqlParameterSource();
                        List<Runnable> sets = new java.util.ArrayList<>();
                        int r = i;
                        sets.add(() -> { t.addValue("id", (long) r); m.addValue("id", (long) r); });
                        sets.add(() -> {
                            String label = r == 2 ? null : "l" + r;
                            t.addValue("label", label, Types.VARCHAR);
                            m.addValue("label", label, Types.VARCHAR);
                        });
                        sets.add(() -> {
                            Object day = variant == 1 && r == 3 ? "2024-01-01" : r == 1 ? null : LocalDate.of(2024, 1, r + 1);
                            t.addValue("day", day, Types.DATE);
                            m.addValue("day", day, Types.DATE);
                        });
                        sets.add(() -> {
                            BigDecimal amount = new BigDecimal(r + ".50");
                            t.addValue("amount", amount);
                            m.addValue("amount", amount);
                        });
                        sets.add(() -> {
                            var wrapped = new org.springframework.jdbc.core.SqlParameterValue(Types.BIGINT, (long) r);
                            t.addValue("wrapped", wrapped);
                            m.addValue("wrapped", wrapped);
                        });
                        if (i % 2 == 1) {
                            java.util.Collections.reverse(sets); // another order: the slot remembered misses
                        }
                        sets.forEach(Runnable::run);
                        out.add(ours ? t : m);
                    }
                    return out;
                };
        List<String> withWrapped = List.of("id", "label", "day", "amount", "wrapped");
        assertThat(ColumnBinding.of(rows.apply(true, 0), withWrapped, new Object[0]))
                .as("a value set as a SqlParameterValue (Spring wraps it again when asked): no array").isNull();
        assertThat(ColumnBinding.of(rows.apply(false, 0), withWrapped, new Object[0])).isNull();
        for (int variant : new int[] {0, 1}) {
            ColumnBinding bySlot = ColumnBinding.of(rows.apply(true, variant), names, new Object[0]);
            ColumnBinding asSpring = ColumnBinding.of(rows.apply(false, variant), names, new Object[0]);
            if (variant == 1) {
                assertThat(bySlot).as("a DATE declared for a string: no array").isNull();
                assertThat(asSpring).isNull();
                continue;
            }
            assertThat(bySlot).isNotNull();
            assertThat(bySlot.elementTypes()).containsExactly("int8", "varchar", "date", "numeric")
                    .isEqualTo(asSpring.elementTypes());
            assertThat(bySlot.columns()).isDeepEqualTo(asSpring.columns());
            assertThat(bySlot.columns()[1]).containsExactly("l0", "l1", null, "l3");
        }
    }
}
