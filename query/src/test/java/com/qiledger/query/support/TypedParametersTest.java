package com.qiledger.query.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSourceUtils;

/** A write's parameters give every value exactly as Spring's getTypedValue gives it, after any way of setting it. */
class TypedParametersTest {

    static final List<Consumer<MapSqlParameterSource>> STEPS = List.of(
            p -> p.addValue("a", "x"),
            p -> p.addValue("b", LocalDate.of(2022, 1, 2), Types.DATE),
            p -> p.addValue("c", null, Types.VARCHAR),
            p -> p.addValue("d", new BigDecimal("1.50")),
            p -> p.addValue("d", new BigDecimal("2.50")), // set again, untyped
            p -> p.addValue("b", LocalDate.of(2022, 3, 4)), // set again untyped: the DATE registered stays
            p -> p.addValue("e", 5L, Types.BIGINT, "int8"),
            p -> p.addValue("f", new SqlParameterValue(Types.NUMERIC, BigDecimal.ONE)),
            p -> p.registerSqlType("a", Types.VARCHAR),
            p -> p.registerTypeName("d", "numeric"),
            p -> p.addValues(Map.of("g", 7, "a", "y")),
            p -> p.addValue("c", "now set", Types.VARCHAR));

    @Test
    void everyValueIsWhatGetTypedValueGivesAfterEachStep() {
        MapSqlParameterSource spring = new MapSqlParameterSource();
        TypedParameters ours = new TypedParameters();
        for (Consumer<MapSqlParameterSource> step : STEPS) {
            step.accept(spring);
            step.accept(ours);
            for (String name : spring.getParameterNames()) {
                assertThat(describe(ours.typedValue(name)))
                        .as(name).isEqualTo(describe(SqlParameterSourceUtils.getTypedValue(spring, name)));
                assertThat(describe(Positional.value(ours, name))).isEqualTo(describe(ours.typedValue(name)));
            }
        }
        assertThatThrownBy(() -> ours.typedValue("never set")).isInstanceOf(IllegalArgumentException.class);
    }

    static String describe(Object value) {
        return value instanceof SqlParameterValue v
                ? "typed(" + v.getSqlType() + ", " + v.getTypeName() + ", " + describe(v.getValue()) + ")"
                : String.valueOf(value);
    }
}
