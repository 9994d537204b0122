package com.qiledger.query.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The statement a guarded upsert is built into, and the mistakes it refuses when a projection's class loads. */
class GuardedUpsertTest {

    @Test
    void theGuardAndThePositionAreAddedToTheRowsColumnsValuesAndAssignments() {
        GuardedUpsert upsert = GuardedUpsert.into("some_view", "a, b")
                .columns("a, b, total")
                .values(":a, :b, COALESCE(:total, 0)")
                .set("""
                        total = v.total + EXCLUDED.total
                        """);

        assertThat(upsert.sql()).isEqualTo("""
                INSERT INTO some_view AS v (a, b, total, position)
                VALUES (:a, :b, COALESCE(:total, 0), :position)
                ON CONFLICT (a, b) DO UPDATE SET
                total = v.total + EXCLUDED.total,
                position = EXCLUDED.position
                WHERE v.position < EXCLUDED.position
                """);
        assertThat(BatchedWrites.tableOf(upsert.sql())).isEqualTo("some_view");
    }

    @Test
    void asManyValuesAsColumnsCountingNoCommaInsideParenthesesOrQuotes() {
        assertThat(GuardedUpsert.items("a, string_to_array(:flags, ','), CAST(:s AS jsonb), 'x,y'"))
                .containsExactly("a", "string_to_array(:flags, ',')", "CAST(:s AS jsonb)", "'x,y'");
        assertThatThrownBy(() -> GuardedUpsert.into("t", "a").columns("a, b").values(":a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("t: 2 columns but 1 values");
    }

    @Test
    void thePositionIsTheGuardsAlone() {
        assertThatThrownBy(() -> GuardedUpsert.into("t", "a").columns("a, position"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the position column is the guard's");
        assertThatThrownBy(() -> GuardedUpsert.into("t", "a").columns("a, b").values(":a, :b")
                        .set("b = EXCLUDED.b, position = EXCLUDED.position"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the position column is the guard's");
        assertThatThrownBy(() -> GuardedUpsert.into("t", "a").columns("a, b").values(":a, :b").set("b = 1,\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("an empty assignment");
    }

    @Test
    void aRowReplacedByANewerEventTakesEveryColumnButTheKey() {
        assertThat(GuardedUpsert.into("t", "k1, K2").columns("k1, k2, a, b").values(":k1, :k2, :a, :b").setAll().sql())
                .contains("""
                        ON CONFLICT (k1, K2) DO UPDATE SET
                        a = EXCLUDED.a,
                        b = EXCLUDED.b,
                        position = EXCLUDED.position
                        """);
    }

    @Test
    void columnsThatFollowOnlyTheCurrentFactAreAssignmentsJoinedToTheOthers() {
        assertThat(GuardedUpsert.whenCurrent("a", "b")).isEqualTo("""
                a = CASE WHEN :current THEN EXCLUDED.a ELSE v.a END,
                b = CASE WHEN :current THEN EXCLUDED.b ELSE v.b END""");
        assertThat(GuardedUpsert.into("t", "k").columns("k, a, n").values(":k, :a, 1")
                        .set("""
                                n = v.n + 1
                                """, GuardedUpsert.whenCurrent("a")).sql())
                .contains("""
                        DO UPDATE SET
                        n = v.n + 1,
                        a = CASE WHEN :current THEN EXCLUDED.a ELSE v.a END,
                        position = EXCLUDED.position
                        """);
    }
}
