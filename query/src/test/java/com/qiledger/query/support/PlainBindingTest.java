package com.qiledger.query.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * The multi-row statements' binding makes the very driver calls Spring's
 * {@code JdbcTemplate.update(sql, args)} makes, value for value: the plain values it binds itself and
 * every other kind it hands to Spring.
 */
class PlainBindingTest {

    static final Object[] VALUES = {
            "text", 7L, 7, new BigDecimal("12.30"), Boolean.TRUE, UUID.fromString("0b6c5a52-6e8e-4e0b-9a77-9cb3b1a1c0de"),
            LocalDate.of(2022, 3, 1), new byte[] {1, 2, 3}, null,
            new SqlParameterValue(Types.VARCHAR, "typed"), new SqlParameterValue(Types.VARCHAR, null),
            new SqlParameterValue(Types.DATE, LocalDate.of(2022, 12, 31)), new SqlParameterValue(Types.DATE, null),
            new SqlParameterValue(Types.BIGINT, 42L), new SqlParameterValue(Types.BIGINT, null),
            new SqlParameterValue(Types.INTEGER, 3), new SqlParameterValue(Types.NUMERIC, new BigDecimal("1.5")),
            new SqlParameterValue(Types.VARCHAR, 12L), new SqlParameterValue(Types.DATE, java.sql.Date.valueOf("2022-01-02")),
            new SqlParameterValue(Types.OTHER, "jsonish"), new SqlParameterValue(Types.NUMERIC, "x", new BigDecimal("2")),
            Timestamp.from(Instant.parse("2022-05-06T07:08:09.123456Z")), new StringBuilder("sb"), 3.5d, Instant.EPOCH,
            new SqlParameterValue(Types.TIMESTAMP, Timestamp.from(Instant.parse("2022-05-06T07:08:09.123456Z"))),
            new SqlParameterValue(Types.TIMESTAMP, new java.util.Date(0)), new SqlParameterValue(Types.TIMESTAMP, null),
            new SqlParameterValue(Types.BOOLEAN, Boolean.FALSE), new SqlParameterValue(Types.BOOLEAN, "t"),
            new SqlParameterValue(Types.DECIMAL, 5L), new java.util.Date(0),
    };

    @Test
    void everyValueReachesTheDriverAsSpringWouldSendIt() throws Exception {
        List<String> spring = new ArrayList<>();
        ArgumentPreparedStatementSetter reference = new ArgumentPreparedStatementSetter(VALUES);
        reference.setValues(recording(spring));
        reference.cleanupParameters();

        List<String> ours = new ArrayList<>();
        PlainBinding binding = new PlainBinding(VALUES);
        binding.setValues(recording(ours));
        binding.cleanupParameters();

        assertThat(ours).hasSize(VALUES.length).isEqualTo(spring);
    }

    @Test
    void plainValuesAreBoundWithoutSpringAndTheRestWithIt() throws Exception {
        List<String> calls = new ArrayList<>();
        PreparedStatement ps = recording(calls);
        assertThat(PlainBinding.bindPlain(ps, 1, "a")).isTrue();
        assertThat(PlainBinding.bindPlain(ps, 2, new SqlParameterValue(Types.DATE, LocalDate.EPOCH))).isTrue();
        assertThat(PlainBinding.bindPlain(ps, 3, new SqlParameterValue(Types.BIGINT, null))).isTrue();
        assertThat(PlainBinding.bindPlain(ps, 4, null)).as("Spring picks an untyped null's type").isFalse();
        assertThat(PlainBinding.bindPlain(ps, 5, new StringBuilder("b"))).isFalse();
        assertThat(PlainBinding.bindPlain(ps, 6, new SqlParameterValue(Types.OTHER, "c"))).isFalse();
        assertThat(calls).containsExactly("setString(1, a)", "setObject(2, 1970-01-01, 91)", "setNull(3, -5)");
    }

    @Test
    void aValueSpringBindsIsCleanedUpByIt() throws Exception {
        List<String> calls = new ArrayList<>();
        org.springframework.jdbc.core.DisposableSqlTypeValue disposable =
                new org.springframework.jdbc.core.DisposableSqlTypeValue() {
                    @Override
                    public void setTypeValue(PreparedStatement ps, int index, int sqlType, String typeName)
                            throws java.sql.SQLException {
                        ps.setString(index, "disposable");
                    }

                    @Override
                    public void cleanup() {
                        calls.add("cleanup");
                    }
                };
        PlainBinding binding = new PlainBinding(new Object[] {"a", disposable, null});
        binding.setValues(recording(calls));
        binding.cleanupParameters();
        assertThat(calls).containsExactly("setString(1, a)", "setString(2, disposable)", "setNull(3, 0)", "cleanup");
    }

    /** A statement that records every call setting a parameter, on a PostgreSQL connection. */
    static PreparedStatement recording(List<String> calls) {
        DatabaseMetaData meta = (DatabaseMetaData) Proxy.newProxyInstance(PlainBindingTest.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (p, m, a) -> switch (m.getName()) {
                    case "getDriverName" -> "PostgreSQL JDBC Driver";
                    case "getDatabaseProductName" -> "PostgreSQL";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        Connection connection = (Connection) Proxy.newProxyInstance(PlainBindingTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (p, m, a) -> {
                    if (m.getName().equals("getMetaData")) {
                        return meta;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        return (PreparedStatement) Proxy.newProxyInstance(PlainBindingTest.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
                    if (m.getName().equals("getConnection")) {
                        return connection;
                    }
                    if (m.getName().startsWith("set")) {
                        List<String> args = new ArrayList<>();
                        for (Object arg : a) {
                            args.add(arg instanceof byte[] b ? Arrays.toString(b) : String.valueOf(arg));
                        }
                        calls.add(m.getName() + "(" + String.join(", ", args) + ")");
                        return null;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }
}
