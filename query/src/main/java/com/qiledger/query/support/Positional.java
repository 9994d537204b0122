package com.qiledger.query.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSourceUtils;

/**
 * A projection's statement with named parameters sent as a JDBC batch with positional ones (issue
 * 20): Spring parses the text once here, not at every batch, and each row's values are read by name
 * into an array instead of going through a parameter map per execution. The values reach the driver
 * exactly as {@link NamedParameterJdbcOperations#batchUpdate} passes them (a declared SQL type as a
 * {@link SqlParameterValue}, the rest inferred the same way); from a row with a value Spring would
 * expand into a list (an {@code IN (:keys)}) on, the rows go one statement each through Spring's
 * named statements (its batch expands every row's list by the first row's length).
 */
final class Positional {

    private static final Map<String, Positional> PARSED = new ConcurrentHashMap<>();

    private final ParsedSql parsed;
    private final String sql;

    private Positional(String named) {
        this.parsed = NamedParameterUtils.parseSqlStatement(named);
        this.sql = NamedParameterUtils.substituteNamedParameters(parsed, null);
    }

    static Positional of(String named) {
        return PARSED.computeIfAbsent(named, Positional::new);
    }

    /** The statement with {@code ?} for its parameters. */
    String sql() {
        return sql;
    }

    /** Sends {@code rows} (from {@code from} on) of {@code named} as one JDBC batch. */
    static void batch(NamedParameterJdbcOperations jdbc, String named, List<? extends SqlParameterSource> rows,
                      int from) {
        Positional statement = of(named);
        List<Object[]> args = new ArrayList<>(rows.size() - from);
        for (int i = from; i < rows.size(); i++) {
            Object[] values = NamedParameterUtils.buildValueArray(statement.parsed, rows.get(i), null);
            for (Object value : values) {
                if (expands(value)) {
                    // Spring expands a list by the batch's first row for all rows: one at a time instead
                    sendPositional(jdbc, statement, args);
                    rows.subList(i, rows.size()).forEach(row -> jdbc.update(named, row));
                    return;
                }
            }
            args.add(values);
        }
        sendPositional(jdbc, statement, args);
    }

    private static void sendPositional(NamedParameterJdbcOperations jdbc, Positional statement, List<Object[]> args) {
        if (args.size() == 1) {
            jdbc.getJdbcOperations().update(statement.sql, args.get(0));
        } else if (!args.isEmpty()) {
            jdbc.getJdbcOperations().batchUpdate(statement.sql, args);
        }
    }

    /** A row's value of {@code name} as Spring's named statements pass it: typed when a type was given. */
    static Object value(SqlParameterSource source, String name) {
        if (source.getClass() == TypedParameters.class) {
            return ((TypedParameters) source).typedValue(name);
        }
        return SqlParameterSourceUtils.getTypedValue(source, name);
    }

    /** Whether Spring would expand the value into a list of parameters (an {@code IN} list). */
    static boolean expands(Object value) {
        Object v = value instanceof SqlParameterValue typed ? typed.getValue() : value;
        if (v == null) {
            return false;
        }
        Class<?> type = v.getClass();
        if (type == String.class || type == Long.class || type == Integer.class || type == java.math.BigDecimal.class
                || type == java.time.LocalDate.class || type == Boolean.class || type == byte[].class) {
            return false; // final classes, none Iterable: one compare instead of scanning their interfaces (issue 20)
        }
        return v instanceof Iterable<?> || (type.isArray() && !(v instanceof byte[]));
    }
}
