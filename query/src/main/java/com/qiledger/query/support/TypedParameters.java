package com.qiledger.query.support;

import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSourceUtils;

/**
 * A write's named parameters that also keep each value as Spring's named statements pass it
 * ({@link SqlParameterSourceUtils#getTypedValue}: wrapped in a {@link SqlParameterValue} when a type was
 * registered), made when the value is set (issue 20). A multi-row statement reads every value of every
 * row once: through {@code getTypedValue} that was four map lookups and a new wrapper per value
 * (async-profiler: 1.8 % of the service's CPU under full load), here it is one lookup.
 */
final class TypedParameters extends MapSqlParameterSource {

    private final Map<String, Object> typed = new HashMap<>();
    /** Whether any type name was registered; until then every type name is null, without a lookup. */
    private boolean typeNames;

    /** The value as {@link SqlParameterSourceUtils#getTypedValue} gives it. */
    Object typedValue(String name) {
        Object value = typed.get(name);
        if (value == null && !typed.containsKey(name)) {
            return SqlParameterSourceUtils.getTypedValue(this, name); // unset: Spring's own answer (it refuses)
        }
        return value;
    }

    @Override
    public MapSqlParameterSource addValue(String name, Object value) {
        super.addValue(name, value);
        typed.put(name, typed(name, getSqlType(name), value)); // a type registered before stays, as in Spring
        return this;
    }

    @Override
    public MapSqlParameterSource addValue(String name, Object value, int sqlType) {
        super.addValue(name, value, sqlType);
        typed.put(name, typed(name, sqlType, value));
        return this;
    }

    @Override
    public MapSqlParameterSource addValue(String name, Object value, int sqlType, String typeName) {
        super.addValue(name, value, sqlType, typeName);
        return retype(name);
    }

    @Override
    public MapSqlParameterSource addValues(Map<String, ?> values) {
        super.addValues(values);
        if (values != null) {
            values.keySet().forEach(this::retype);
        }
        return this;
    }

    @Override
    public void registerSqlType(String name, int sqlType) {
        super.registerSqlType(name, sqlType);
        if (typed.containsKey(name)) {
            retype(name);
        }
    }

    @Override
    public void registerTypeName(String name, String typeName) {
        super.registerTypeName(name, typeName);
        typeNames = true;
        if (typed.containsKey(name)) {
            retype(name);
        }
    }

    /** Keeps {@code name}'s value as {@code getTypedValue} gives it now. */
    private MapSqlParameterSource retype(String name) {
        if (hasValue(name)) {
            typed.put(name, typed(name, getSqlType(name), getValue(name)));
        }
        return this;
    }

    /** {@code value} as {@code getTypedValue} gives it with this SQL type. */
    private Object typed(String name, int sqlType, Object value) {
        return sqlType == TYPE_UNKNOWN ? value
                : new SqlParameterValue(sqlType, typeNames ? getTypeName(name) : null, value);
    }
}
