package com.qiledger.query.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSourceUtils;

/**
 * A write's parameters answer exactly as Spring's {@link MapSqlParameterSource} given the same calls
 * does, and give every value as Spring's getTypedValue gives it, after each step.
 */
class TypedParametersTest {

    /** One call: {@code addValue(name, value)}, or {@code addValue(name, value, type)} when a type is given. */
    record Step(String name, Object value, Integer type) {
    }

    static final List<Step> STEPS = List.of(
            new Step("a", "x", null),
            new Step("b", LocalDate.of(2022, 1, 2), Types.DATE),
            new Step("c", null, Types.VARCHAR),
            new Step("d", new BigDecimal("1.50"), null),
            new Step("d", new BigDecimal("2.50"), null), // set again, untyped
            new Step("b", LocalDate.of(2022, 3, 4), null), // set again untyped: the DATE registered stays
            new Step("f", new SqlParameterValue(Types.NUMERIC, BigDecimal.ONE), null), // registers NUMERIC
            new Step("a", "y", Types.VARCHAR), // typed after being untyped
            new Step("g", 7, null),
            new Step("c", "now set", Types.VARCHAR),
            // more names than the arrays first hold
            new Step("h", 1L, Types.BIGINT), new Step("i", 2, null), new Step("j", true, null),
            new Step("k", "k", null), new Step("l", "l", null), new Step("m", "m", null),
            new Step("n", null, null), new Step("o", 3L, Types.BIGINT),
            new Step(new String("a"), "z", null)); // an equal name, not the same string

    @Test
    void everyAnswerIsSpringsAfterEachStep() {
        MapSqlParameterSource spring = new MapSqlParameterSource();
        TypedParameters ours = new TypedParameters();
        for (Step step : STEPS) {
            if (step.type() == null) {
                spring.addValue(step.name(), step.value());
                ours.addValue(step.name(), step.value());
            } else {
                spring.addValue(step.name(), step.value(), step.type());
                ours.addValue(step.name(), step.value(), step.type());
            }
            assertThat(ours.getParameterNames()).containsExactly(spring.getParameterNames());
            for (String name : spring.getParameterNames()) {
                assertThat(describe(ours.typedValue(name)))
                        .as(name).isEqualTo(describe(SqlParameterSourceUtils.getTypedValue(spring, name)));
                assertThat(describe(Positional.value(ours, name))).isEqualTo(describe(ours.typedValue(name)));
                assertThat(describe(SqlParameterSourceUtils.getTypedValue(ours, name)))
                        .isEqualTo(describe(ours.typedValue(name)));
                assertThat(ours.hasValue(name)).isTrue();
                assertThat(ours.getValue(name)).isSameAs(spring.getValue(name));
                assertThat(ours.getSqlType(name)).as(name).isEqualTo(spring.getSqlType(name));
                assertThat(ours.getTypeName(name)).isEqualTo(spring.getTypeName(name));
            }
        }
        assertThat(ours.hasValue("never set")).isFalse();
        assertThat(ours.getSqlType("never set")).isEqualTo(spring.getSqlType("never set"));
        assertThatThrownBy(() -> ours.typedValue("never set")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ours.getValue("never set")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(catchThrowable(() -> spring.getValue("never set")).getMessage());
    }

    static String describe(Object value) {
        return value instanceof SqlParameterValue v
                ? "typed(" + v.getSqlType() + ", " + v.getTypeName() + ", " + describe(v.getValue()) + ")"
                : String.valueOf(value);
    }
}
