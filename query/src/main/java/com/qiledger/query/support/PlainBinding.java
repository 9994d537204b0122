package com.qiledger.query.support;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.util.UUID;
import org.springframework.jdbc.core.ParameterDisposer;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;

/**
 * Binds a multi-row statement's positional values exactly as Spring's
 * {@code JdbcTemplate.update(sql, args)} binds them ({@code ArgumentPreparedStatementSetter}), with the
 * values projections write most taken straight to the driver (issue 20). Spring's setter asks every
 * value of every row for a handful of interfaces it might implement ({@code SqlTypeValue},
 * {@code SqlValue}, {@code CharSequence}, then {@code DisposableSqlTypeValue} and {@code SqlValue} again
 * to clean up): on a 128-row statement of a dozen columns that is thousands of interface checks, and
 * async-profiler put that setter and its clean-up at 5 % of the service's CPU under full load. Here a
 * value of a class known to be plain ({@code String}, {@code Long}, {@code Integer}, {@code BigDecimal},
 * {@code Boolean}, {@code UUID}, {@code LocalDate}, {@code Timestamp}, {@code byte[]}, untyped or with a
 * plain SQL type, nulls with a declared type) is bound with the very call Spring's {@code StatementCreatorUtils} ends in for it; any other goes
 * through {@code StatementCreatorUtils} itself and is cleaned up by it afterwards.
 */
final class PlainBinding implements PreparedStatementSetter, ParameterDisposer {

    private final Object[] args;
    /** How many parameters come before these values (bound by someone else). */
    private final int offset;
    /** The values Spring bound that it may have to clean up (none is null), in order. */
    private java.util.List<Object> delegated;

    PlainBinding(Object[] args) {
        this(args, 0);
    }

    /** Binds {@code args} as the parameters after the first {@code offset}. */
    PlainBinding(Object[] args, int offset) {
        this.args = args;
        this.offset = offset;
    }

    /** The values, in parameter order. */
    Object[] args() {
        return args;
    }

    @Override
    public void setValues(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            int index = offset + i + 1;
            if (!bindPlain(ps, index, args[i])) {
                if (args[i] != null) {
                    if (delegated == null) {
                        delegated = new java.util.ArrayList<>();
                    }
                    delegated.add(args[i]);
                }
                if (args[i] instanceof SqlParameterValue typed) {
                    StatementCreatorUtils.setParameterValue(ps, index, typed, typed.getValue());
                } else {
                    StatementCreatorUtils.setParameterValue(ps, index, SqlTypeValue.TYPE_UNKNOWN, args[i]);
                }
            }
        }
    }

    /** Spring's clean-up of the values that went its way (plain values and nulls have nothing to clean up). */
    @Override
    public void cleanupParameters() {
        if (delegated != null) {
            StatementCreatorUtils.cleanupParameters(delegated);
        }
    }

    /**
     * Binds {@code arg} as Spring would if it is plain, and tells whether it did. Class identity, not
     * {@code instanceof}: one compare, and a subclass (of {@code Timestamp}, say) goes Spring's way.
     */
    static boolean bindPlain(PreparedStatement ps, int index, Object arg) throws SQLException {
        if (arg == null) {
            return false; // Spring asks the driver's name to pick the null's type
        }
        Class<?> type = arg.getClass();
        if (type == SqlParameterValue.class) {
            SqlParameterValue typed = (SqlParameterValue) arg;
            if (typed.getTypeName() != null || typed.getScale() != null) {
                return false;
            }
            return bindTyped(ps, index, typed.getSqlType(), typed.getValue());
        }
        if (type == String.class) {
            ps.setString(index, (String) arg); // Spring: a CharSequence, untyped: setString(toString())
            return true;
        }
        if (type == byte[].class) {
            ps.setBytes(index, (byte[]) arg); // Spring: untyped byte[]
            return true;
        }
        if (type == Long.class || type == Integer.class || type == BigDecimal.class || type == Boolean.class
                || type == UUID.class || type == LocalDate.class || type == Timestamp.class) {
            ps.setObject(index, arg); // Spring: untyped and neither CharSequence, a plain java.util.Date nor Calendar
            return true;
        }
        return false;
    }

    private static boolean bindTyped(PreparedStatement ps, int index, int sqlType, Object value) throws SQLException {
        if (sqlType == SqlTypeValue.TYPE_UNKNOWN || sqlType == Types.OTHER) {
            return false;
        }
        if (value == null) {
            try {
                ps.setNull(index, sqlType); // Spring: a declared type without a type name
            } catch (java.sql.SQLFeatureNotSupportedException e) {
                if (sqlType == Types.NULL) {
                    throw e;
                }
                ps.setNull(index, Types.NULL);
            }
            return true;
        }
        Class<?> type = value.getClass();
        switch (sqlType) {
            case Types.VARCHAR, Types.LONGVARCHAR -> {
                if (type != String.class) {
                    return false;
                }
                ps.setString(index, (String) value);
            }
            case Types.DATE -> {
                if (type != LocalDate.class) {
                    return false;
                }
                ps.setObject(index, value, Types.DATE); // Spring: neither a java.util.Date nor a Calendar
            }
            case Types.TIMESTAMP -> {
                if (type != Timestamp.class) {
                    return false;
                }
                ps.setTimestamp(index, (Timestamp) value);
            }
            case Types.NUMERIC, Types.DECIMAL -> {
                if (type != BigDecimal.class) {
                    return false;
                }
                ps.setBigDecimal(index, (BigDecimal) value);
            }
            case Types.BOOLEAN -> {
                if (type != Boolean.class) {
                    return false;
                }
                ps.setBoolean(index, (Boolean) value);
            }
            case Types.BIGINT, Types.INTEGER -> {
                if (type != Long.class && type != Integer.class) {
                    return false;
                }
                try {
                    ps.setObject(index, value, sqlType); // Spring's last branch: setObject with the type
                } catch (java.sql.SQLFeatureNotSupportedException e) {
                    ps.setObject(index, value);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}
