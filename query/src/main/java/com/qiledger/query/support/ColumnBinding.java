package com.qiledger.query.support;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.ParameterDisposer;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * A run of rows bound column by column (issue 20): one array per parameter of the tuple, read by
 * {@code INSERT ... SELECT ... FROM unnest(...)} ({@link MultiRowInsert#columnText}), instead of one
 * parameter per value of a multi-row {@code VALUES} list. PostgreSQL sets up a {@code VALUES} row's
 * expressions and parses its parameters row by row, and the driver binds each of them; measured on
 * this machine with a table like {@code journal_posting} (128-row statements, 192,000 rows, three
 * alternating rounds), the column form cost PostgreSQL 6.7-8.1 µs a row against 9.3-10.0, and the
 * service 1.1-1.4 µs against 2.0-2.2.
 *
 * <p>Each array's element type is the type the driver gives the value when it binds it alone
 * ({@link PlainBinding}): {@code int8} for a {@code Long}, {@code int4} for an {@code Integer},
 * {@code varchar} for a {@code String}, {@code numeric}, {@code bool}, {@code date}, {@code uuid},
 * {@code bytea}, and {@code timestamptz} for a {@code Timestamp} (every timestamp column of the read
 * models is one; its text is the instant, so the zone plays no part, rounded to the microsecond as
 * the driver rounds it), or the declared SQL type of a typed value. A column whose values disagree,
 * with a value of another class or type, or with only untyped nulls, is not bound this way
 * ({@link #of} answers null) and the run goes as {@code VALUES} lists. Numbers, dates, identifiers
 * and instants travel as text, as the driver sends them alone.
 */
final class ColumnBinding implements PreparedStatementSetter, ParameterDisposer {

    /** The instants written as ISO text here; others go as {@code VALUES} lists, the driver's own text. */
    private static final java.time.Instant EARLIEST = java.time.Instant.parse("0001-01-02T00:00:00Z");
    private static final java.time.Instant LATEST = java.time.Instant.parse("9999-12-31T00:00:00Z");

    private final List<String> elementTypes;
    private final Object[][] columns;
    /** The parameters after the tuple, bound once after the arrays. */
    private final PlainBinding shared;

    private ColumnBinding(List<String> elementTypes, Object[][] columns, Object[] shared) {
        this.elementTypes = elementTypes;
        this.columns = columns;
        this.shared = new PlainBinding(shared, elementTypes.size());
    }

    /**
     * The rows' values of these parameters as columns, with the values after the tuple; null when a
     * column cannot go as an array of one type (the caller sends the rows as {@code VALUES} lists).
     */
    static ColumnBinding of(List<? extends SqlParameterSource> rows, List<String> names, Object[] shared) {
        int n = rows.size();
        String[] types = new String[names.size()];
        Object[][] columns = new Object[names.size()][];
        for (int c = 0; c < names.size(); c++) {
            Object[] raw = new Object[n];
            String name = names.get(c);
            int slot = -1;
            for (int r = 0; r < n; r++) {
                SqlParameterSource row = rows.get(r);
                String type;
                if (row instanceof TypedParameters typed && (slot = typed.slotOf(name, slot)) >= 0
                        && !(typed.valueAt(slot) instanceof SqlParameterValue)) {
                    // the value and its registered type as set, without the typed value made for Spring
                    Object value = typed.valueAt(slot);
                    int sqlType = typed.sqlTypeAt(slot);
                    type = sqlType == SqlParameterSource.TYPE_UNKNOWN ? typeOf(value) : typeOf(sqlType, value);
                    raw[r] = value;
                } else {
                    Object value = Positional.value(row, name);
                    type = typeOf(value);
                    raw[r] = value instanceof SqlParameterValue typed ? typed.getValue() : value;
                }
                if (type == null) {
                    return null;
                }
                if (!type.isEmpty()) {
                    if (types[c] != null && !types[c].equals(type)) {
                        return null;
                    }
                    types[c] = type;
                }
            }
            if (types[c] == null) {
                return null; // only untyped nulls: no type to give the array
            }
            columns[c] = elements(types[c], raw);
            if (columns[c] == null) {
                return null;
            }
        }
        return new ColumnBinding(List.of(types), columns, shared);
    }

    /** The arrays' element types, in parameter order. */
    List<String> elementTypes() {
        return elementTypes;
    }

    /** The columns' values, in parameter order (as the arrays carry them). */
    Object[][] columns() {
        return columns;
    }

    /** The values after the tuple. */
    Object[] sharedArgs() {
        return shared.args();
    }

    @Override
    public void setValues(PreparedStatement ps) throws SQLException {
        java.sql.Connection connection = ps.getConnection();
        for (int c = 0; c < columns.length; c++) {
            ps.setArray(c + 1, connection.createArrayOf(elementTypes.get(c), columns[c]));
        }
        shared.setValues(ps);
    }

    @Override
    public void cleanupParameters() {
        shared.cleanupParameters();
    }

    /**
     * The element type a value binds as: the empty string for an untyped null (any type will do), null
     * when it cannot go in an array here.
     */
    static String typeOf(Object value) {
        if (value == null) {
            return "";
        }
        if (value.getClass() == SqlParameterValue.class) {
            SqlParameterValue typed = (SqlParameterValue) value;
            if (typed.getTypeName() != null || typed.getScale() != null) {
                return null;
            }
            return typeOf(typed.getSqlType(), typed.getValue());
        }
        return elementType(value.getClass());
    }

    /** The element type of {@code value} declared as {@code sqlType} (no type name, no scale): as {@link #typeOf(Object)}. */
    private static String typeOf(int sqlType, Object value) {
        String declared = switch (sqlType) {
            case Types.VARCHAR, Types.LONGVARCHAR -> "varchar";
            case Types.BIGINT -> "int8";
            case Types.INTEGER -> "int4";
            case Types.DATE -> "date";
            case Types.NUMERIC, Types.DECIMAL -> "numeric";
            case Types.BOOLEAN -> "bool";
            case Types.TIMESTAMP -> "timestamptz";
            default -> null;
        };
        if (declared == null || value == null) {
            return declared;
        }
        if (value instanceof SqlParameterValue) {
            return null; // a typed value declared again: Spring unwraps one level only, so not in an array
        }
        String own = typeOf(value);
        boolean whole = declared.equals("int8") || declared.equals("int4");
        return declared.equals(own) || (whole && ("int8".equals(own) || "int4".equals(own))) ? declared : null;
    }

    /**
     * The element type of each class bound as it is (its exact class, as {@link PlainBinding} tells
     * them apart); null for any other. Compared one by one, not looked up in a map: this runs for every
     * value of every row, and the {@code Map<Class, String>} it replaces (hashing the class, probing the
     * table) was the journal processor's costliest frame (issue 20, JFR: 17.6 % of its samples).
     */
    private static String elementType(Class<?> type) {
        if (type == String.class) {
            return "varchar";
        } else if (type == BigDecimal.class) {
            return "numeric";
        } else if (type == Long.class) {
            return "int8";
        } else if (type == Integer.class) {
            return "int4";
        } else if (type == LocalDate.class) {
            return "date";
        } else if (type == Timestamp.class) {
            return "timestamptz";
        } else if (type == Boolean.class) {
            return "bool";
        } else if (type == UUID.class) {
            return "uuid";
        } else if (type == byte[].class) {
            return "bytea";
        }
        return null;
    }

    /** The values as the array of this element type carries them; null when one cannot be written so. */
    private static Object[] elements(String type, Object[] raw) {
        switch (type) {
            case "int8" -> {
                Long[] out = new Long[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    out[i] = raw[i] == null ? null : ((Number) raw[i]).longValue();
                }
                return out;
            }
            case "int4" -> {
                Integer[] out = new Integer[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    if (raw[i] != null) {
                        long v = ((Number) raw[i]).longValue();
                        if (v != (int) v) {
                            return null; // alone, the driver would refuse it; let it, the same way
                        }
                        out[i] = (int) v;
                    }
                }
                return out;
            }
            case "bool" -> {
                return Arrays.copyOf(raw, raw.length, Boolean[].class);
            }
            case "bytea" -> {
                return Arrays.copyOf(raw, raw.length, byte[][].class);
            }
            default -> {
                String[] out = new String[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    Object v = raw[i];
                    if (v == null) {
                        continue;
                    }
                    if (v instanceof LocalDate day) {
                        if (day.getYear() < 1 || day.getYear() > 9999) {
                            return null; // outside ISO's four digits: the driver's own text for it
                        }
                        out[i] = day.toString();
                    } else if (v instanceof Timestamp ts) {
                        java.time.Instant at = ts.toInstant();
                        if (at.isBefore(EARLIEST) || !at.isBefore(LATEST)) {
                            return null;
                        }
                        // to the microsecond, half up, as the driver writes it alone (PostgreSQL would
                        // round the nanoseconds half to even)
                        int below = at.getNano() % 1000;
                        out[i] = at.minusNanos(below).plusNanos(below >= 500 ? 1000 : 0).toString();
                    } else {
                        out[i] = v.toString(); // String, BigDecimal (the driver's own text for it), UUID
                    }
                }
                return out;
            }
        }
    }
}
