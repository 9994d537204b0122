package com.qiledger.query.support;

import java.util.Arrays;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.namedparam.SqlParameterSourceUtils;

/**
 * A write's named parameters, kept in small arrays in the order they were first set, each value with
 * the SQL type registered for it (issue 20). It answers as a {@link MapSqlParameterSource} given the same
 * {@code addValue} calls would; {@link #typedValue} gives a value as Spring's named statements pass it
 * ({@link SqlParameterSourceUtils#getTypedValue}: wrapped in a {@link SqlParameterValue} when a type was
 * registered), made when it is asked for: the column form ({@code ColumnBinding}) reads the value and its
 * type by slot and needs no wrapper, so none is made for the rows it sends (one per typed value before:
 * fourteen per bank slip row).
 *
 * <p>Why not a map: a projection batch makes one of these per row and reads every value of every row
 * once, column by column. As a {@code MapSqlParameterSource} (a linked map of values and a map of types)
 * with a map of the typed values beside it, that was four hash-map writes per value set and one lookup
 * per value read, in maps scattered over the heap: JFR under full load put 11.6 % of the service's CPU
 * samples in setting and reading them ({@code HashMap.getNode} alone was the service's costliest
 * method). A row has few names (17 in the widest write today, the bank slip's; the arrays start at 12
 * and double when full), so a scan of one array finds a name about as soon as a hash lookup does, in
 * memory that is already in the cache, and the names' hashes (cached in the strings) reject a mismatch
 * in one comparison.
 */
final class TypedParameters implements SqlParameterSource {

    private static final int INITIAL = 12;

    private String[] names = new String[INITIAL];
    private Object[] values = new Object[INITIAL];
    private int[] sqlTypes = new int[INITIAL];
    private int size;

    /** As {@link MapSqlParameterSource#addValue(String, Object)}: a type registered before stays. */
    TypedParameters addValue(String name, Object value) {
        int i = slot(name);
        if (value instanceof SqlParameterValue declared) {
            sqlTypes[i] = declared.getSqlType(); // Spring registers the type a typed value carries
        }
        values[i] = value;
        return this;
    }

    /** As {@link MapSqlParameterSource#addValue(String, Object, int)}. */
    TypedParameters addValue(String name, Object value, int sqlType) {
        int i = slot(name);
        sqlTypes[i] = sqlType;
        values[i] = value;
        return this;
    }

    /** The value as {@link SqlParameterSourceUtils#getTypedValue} gives it. */
    Object typedValue(String name) {
        int i = indexOrRefuse(name);
        return sqlTypes[i] == TYPE_UNKNOWN ? values[i] : new SqlParameterValue(sqlTypes[i], null, values[i]);
    }

    /**
     * The slot of {@code name}, tried first at {@code hint} (the slot it had in a row made by the same
     * code, which sets its names in the same order): -1 when it has none. The name is compared by
     * identity there, as the statement's names and the writes' are the same constants.
     */
    int slotOf(String name, int hint) {
        return hint >= 0 && hint < size && names[hint] == name ? hint : indexOf(name);
    }

    /** The value at a slot as it was set (a {@link SqlParameterValue} set as the value stays one). */
    Object valueAt(int slot) {
        return values[slot];
    }

    /** The SQL type registered at a slot, {@link #TYPE_UNKNOWN} when none was. */
    int sqlTypeAt(int slot) {
        return sqlTypes[slot];
    }

    @Override
    public boolean hasValue(String name) {
        return indexOf(name) >= 0;
    }

    @Override
    public Object getValue(String name) {
        return values[indexOrRefuse(name)];
    }

    @Override
    public int getSqlType(String name) {
        int i = indexOf(name);
        return i < 0 ? TYPE_UNKNOWN : sqlTypes[i];
    }

    @Override
    public String getTypeName(String name) {
        return null; // type names are never registered here
    }

    @Override
    public String[] getParameterNames() {
        return Arrays.copyOf(names, size);
    }

    /** The index of {@code name}, added (untyped, no value yet) when it has none. */
    private int slot(String name) {
        if (name == null) {
            throw new IllegalArgumentException("Parameter name must not be null");
        }
        int i = indexOf(name);
        if (i >= 0) {
            return i;
        }
        if (size == names.length) {
            int grown = size * 2;
            names = Arrays.copyOf(names, grown);
            values = Arrays.copyOf(values, grown);
            sqlTypes = Arrays.copyOf(sqlTypes, grown);
        }
        names[size] = name;
        sqlTypes[size] = TYPE_UNKNOWN;
        return size++;
    }

    private int indexOf(String name) {
        int hash = name.hashCode();
        for (int i = 0; i < size; i++) {
            String n = names[i];
            if (n == name || (n.hashCode() == hash && n.equals(name))) {
                return i;
            }
        }
        return -1;
    }

    private int indexOrRefuse(String name) {
        int i = indexOf(name);
        if (i < 0) {
            // Spring's own words for a name never set
            throw new IllegalArgumentException("No value registered for key '" + name + "'");
        }
        return i;
    }
}
