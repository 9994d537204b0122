package com.qiledger.query.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;

/**
 * A run of one {@code INSERT ... VALUES (...)} statement sent as multi-row inserts (issue 20): one
 * statement of up to {@value #MAX_ROWS} rows instead of one execution per row, which is what each row
 * cost PostgreSQL in a projection's batch (the executor started and stopped, and a Bind/Execute
 * message parsed, once per row; pg_stat_statements put the journal's and history's per-row inserts
 * among the largest costs of a webhook).
 *
 * <p>Only statements whose rows can share one statement with the same result as one after the
 * other: a plain {@code INSERT}, or one that ends {@code ON CONFLICT ... DO NOTHING} (a later row of the
 * same key is skipped, as it would have been one statement later), with no {@code RETURNING}. An
 * {@code ON CONFLICT (key) DO UPDATE} cannot touch one row twice in one statement, so its run is cut
 * into statements whose rows all have different keys (issue 20): each key column must take a plain
 * parameter of the {@code VALUES} tuple ({@code :name} or {@code CAST(:name AS type)}); keys are compared
 * coarser than PostgreSQL does (strings without trailing blanks and case, numbers by value), so two
 * rows PostgreSQL would call one key never share a statement. A projection that folds a run to one
 * row per key itself declares it ({@link #distinctRows}) and skips that comparison. Parameters after
 * the tuple (a guarded upsert's {@code :current}) are bound once per statement, so a statement's rows
 * all have the same values there; a row with other values starts the next statement. Rows keep their
 * order; statements follow one another in it.
 *
 * <p>A run goes as one statement of up to {@value #MAX_COLUMN_ROWS} rows in the column form when its
 * values allow ({@link ColumnBinding}): {@code INSERT INTO t (columns) SELECT} the tuple's items
 * {@code FROM unnest(one array per parameter)} in the arrays' order, one statement text whatever the
 * run's length. Rows the column form cannot carry go as {@code VALUES} lists whose sizes are powers of
 * two (a run of 100 rows goes as 64 + 32 + 4), so each statement has at most eight texts to parse and
 * prepare, whatever the batch sizes.
 *
 * <p>Written here, not taken from the driver: pgjdbc's {@code reWriteBatchedInserts} rewrites every
 * batched insert of the connection, upserts that may repeat a key included, and answers no row counts.
 */
public final class MultiRowInsert {

    /** The largest statement: 128 rows of a dozen columns stay far below PostgreSQL's 65,535 parameters. */
    static final int MAX_ROWS = 128;

    /** The most rows of one statement in the column form ({@link ColumnBinding}): one array per column, any length. */
    static final int MAX_COLUMN_ROWS = 1024;

    private static final Pattern HEAD = Pattern.compile("(?is)^\\s*INSERT\\s+INTO\\s+.*?\\bVALUES\\s*(?=\\()");
    private static final Pattern SAFE_TAIL = Pattern.compile("(?is)^\\s*(ON\\s+CONFLICT\\b.*\\bDO\\s+NOTHING)?\\s*$");
    private static final Pattern UPSERT_TAIL = Pattern.compile("(?is)^\\s*ON\\s+CONFLICT\\b.*\\bDO\\s+UPDATE\\b.*$");
    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern COLUMNS = Pattern.compile("(?is)^\\s*INSERT\\s+INTO\\s+\\S+(?:\\s+AS\\s+\\w+)?\\s*\\(([^)]*)\\)\\s*VALUES\\s*$");
    private static final Pattern CONFLICT_KEY = Pattern.compile("(?is)^\\s*ON\\s+CONFLICT\\s*\\(([^)]*)\\)");
    private static final Pattern PLAIN = Pattern.compile("(?is)^(?:CAST\\s*\\(\\s*)?:([A-Za-z_][A-Za-z0-9_]*)(?:\\s+AS\\s+[\\w\\s\\[\\]]+\\))?$");

    private static final Map<String, Optional<MultiRowInsert>> PARSED = new ConcurrentHashMap<>();
    private static final Set<String> DISTINCT = ConcurrentHashMap.newKeySet();

    private final String head;
    /** One row's tuple with {@code ?} for its parameters. */
    private final String tuple;
    /** What follows the tuples, with {@code ?} for its parameters. */
    private final String tail;
    /** The tuple's parameters in the order they occur, a name used twice listed twice. */
    private final List<String> occurrences;
    /** The parameters after the tuple, in the order they occur: bound once per statement. */
    private final List<String> tailOccurrences;
    /** The parameters of an upsert's conflict key, whose rows must differ within a statement; empty: no such rule. */
    private final List<String> key;
    private final Map<Integer, String> texts = new ConcurrentHashMap<>();
    /**
     * The statement's {@code INSERT INTO ... (columns) SELECT} and the tuple's items with its k-th
     * parameter read from column {@code ck} of the arrays' {@code unnest} ({@link ColumnBinding}).
     */
    private final String selectHead;
    private final String selectItems;
    /** The texts of the column form, per the arrays' element types. */
    private final Map<List<String>, String> columnTexts = new ConcurrentHashMap<>();

    private MultiRowInsert(String head, String tuple, String tail, List<String> occurrences,
                           List<String> tailOccurrences, List<String> key) {
        this.head = head;
        this.tuple = PARAMETER.matcher(tuple).replaceAll("?");
        this.tail = PARAMETER.matcher(tail).replaceAll("?");
        this.occurrences = occurrences;
        this.tailOccurrences = tailOccurrences;
        this.key = key;
        this.selectHead = head.replaceFirst("(?is)\\bVALUES\\s*$", "SELECT ");
        Matcher p = PARAMETER.matcher(tuple.substring(1, tuple.length() - 1));
        StringBuilder items = new StringBuilder();
        int column = 0;
        while (p.find()) {
            p.appendReplacement(items, "u.c" + ++column);
        }
        this.selectItems = p.appendTail(items).toString();
    }

    /**
     * Declares that the projection owning {@code sql}, an {@code INSERT ... ON CONFLICT ... DO UPDATE},
     * never queues two rows of one conflict key in a batched run (it folds them into one first), so a
     * run of it may go as multi-row statements. Returns {@code sql}, to wrap a constant's definition.
     */
    public static String distinctRows(String sql) {
        DISTINCT.add(sql);
        PARSED.remove(sql);
        return sql;
    }

    /** The multi-row form of {@code sql}, or empty when its rows must run one by one. */
    static Optional<MultiRowInsert> of(String sql) {
        return PARSED.computeIfAbsent(sql, MultiRowInsert::parse);
    }

    private static Optional<MultiRowInsert> parse(String sql) {
        Matcher head = HEAD.matcher(sql);
        if (!head.find()) {
            return Optional.empty();
        }
        int open = head.end();
        int close = closing(sql, open);
        if (close < 0) {
            return Optional.empty();
        }
        String tail = sql.substring(close + 1);
        boolean upsert = UPSERT_TAIL.matcher(tail).matches();
        if (!(SAFE_TAIL.matcher(tail).matches() || upsert) || tail.toUpperCase(java.util.Locale.ROOT).contains("RETURNING")
                || PARAMETER.matcher(sql.substring(0, open)).find()) {
            return Optional.empty();
        }
        String tuple = sql.substring(open, close + 1);
        List<String> key = List.of();
        if (upsert && !DISTINCT.contains(sql)) {
            Optional<List<String>> keyed = keyParameters(sql.substring(0, open), tuple, tail);
            if (keyed.isEmpty()) {
                return Optional.empty();
            }
            key = keyed.get();
        }
        return Optional.of(new MultiRowInsert(sql.substring(0, open), tuple, tail, names(tuple), names(tail), key));
    }

    private static List<String> names(String text) {
        List<String> names = new ArrayList<>();
        Matcher p = PARAMETER.matcher(text);
        while (p.find()) {
            names.add(p.group(1));
        }
        return List.copyOf(names);
    }

    /**
     * The tuple parameters an upsert's conflict key columns take, or empty when a key column is not
     * named in the column list or takes anything but a plain parameter.
     */
    private static Optional<List<String>> keyParameters(String head, String tuple, String tail) {
        Matcher columns = COLUMNS.matcher(head);
        Matcher conflict = CONFLICT_KEY.matcher(tail);
        if (!columns.find() || !conflict.find()) {
            return Optional.empty();
        }
        List<String> names = GuardedUpsert.items(columns.group(1));
        List<String> values = GuardedUpsert.items(tuple.substring(1, tuple.length() - 1));
        if (names.size() != values.size()) {
            return Optional.empty();
        }
        List<String> key = new ArrayList<>();
        for (String column : GuardedUpsert.items(conflict.group(1))) {
            int at = -1;
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(column)) {
                    at = i;
                }
            }
            Matcher plain = at < 0 ? null : PLAIN.matcher(values.get(at));
            if (plain == null || !plain.matches()) {
                return Optional.empty();
            }
            key.add(plain.group(1));
        }
        return Optional.of(List.copyOf(key));
    }

    /** The index of the parenthesis closing the one at {@code open}, quotes respected; -1 if none. */
    private static int closing(String sql, int open) {
        int depth = 0;
        boolean quoted = false;
        for (int i = open; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Sends rows from {@code from} on, in order, as statements of power-of-two sizes, with positional
     * parameters (each row's values read by name once, no renamed parameter map, no named-parameter
     * parsing of the long statement at each execution: the rebuild's JFR recording showed both).
     * A statement's rows share the values after the tuple and, for an upsert, never repeat a key.
     * Returns the index of the first row not sent: {@code rows.size()}, or a row with a value that
     * Spring would expand into a list ({@link Positional#expands}), which the caller sends its way.
     */
    int send(NamedParameterJdbcOperations jdbc, List<? extends SqlParameterSource> rows, int from) {
        int start = from;
        while (start < rows.size()) {
            Object[] shared = values(rows.get(start), tailOccurrences);
            if (shared == null) {
                return start;
            }
            int end = start;
            Set<List<Object>> keys = new java.util.HashSet<>();
            boolean columns = !occurrences.isEmpty();
            while (end < rows.size() && end - start < (columns ? MAX_COLUMN_ROWS : MAX_ROWS)) {
                if (end > start && !same(shared, values(rows.get(end), tailOccurrences))) {
                    break;
                }
                List<Object> rowKey = keyOf(rows.get(end));
                if (rowKey != null && !keys.add(rowKey)) {
                    break;
                }
                end++;
            }
            if (columns && end - start > 1) {
                ColumnBinding binding = ColumnBinding.of(rows.subList(start, end), occurrences, shared);
                if (binding != null) {
                    jdbc.getJdbcOperations().update(columnText(binding.elementTypes()), binding);
                    start = end;
                    continue;
                }
            }
            while (start < end) {
                int size = Math.min(MAX_ROWS, Integer.highestOneBit(end - start));
                Object[] args = new Object[size * occurrences.size() + shared.length];
                int i = 0;
                for (int row = 0; row < size; row++) {
                    Object[] values = values(rows.get(start + row), occurrences);
                    if (values == null) {
                        return start;
                    }
                    System.arraycopy(values, 0, args, i, values.length);
                    i += values.length;
                }
                System.arraycopy(shared, 0, args, i, shared.length);
                jdbc.getJdbcOperations().update(text(size), new PlainBinding(args));
                start += size;
            }
        }
        return start;
    }

    /** The row's values of these parameters, or null when one would be expanded into a list. */
    private static Object[] values(SqlParameterSource row, List<String> names) {
        Object[] values = new Object[names.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Positional.value(row, names.get(i));
            if (Positional.expands(values[i])) {
                return null;
            }
        }
        return values;
    }

    /** Whether two rows' values after the tuple are the same, so that one statement may bind them once. */
    private static boolean same(Object[] a, Object[] b) {
        if (b == null || a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            Object x = a[i] instanceof org.springframework.jdbc.core.SqlParameterValue t ? t.getValue() : a[i];
            Object y = b[i] instanceof org.springframework.jdbc.core.SqlParameterValue t ? t.getValue() : b[i];
            if (!java.util.Objects.equals(x, y)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The row's conflict key, compared coarser than PostgreSQL compares it (so never two rows of one
     * key in a statement); null when the statement has no key rule or the key has a null (never a
     * conflict in PostgreSQL) or a value that would be expanded.
     */
    private List<Object> keyOf(SqlParameterSource row) {
        if (key.isEmpty()) {
            return null;
        }
        List<Object> values = new ArrayList<>(key.size());
        for (String name : key) {
            Object value = Positional.value(row, name);
            Object v = value instanceof org.springframework.jdbc.core.SqlParameterValue typed ? typed.getValue() : value;
            if (v == null || Positional.expands(value)) {
                return null;
            }
            values.add(coarse(v));
        }
        return values;
    }

    private static Object coarse(Object v) {
        if (v instanceof String text) {
            return text.stripTrailing().toLowerCase(java.util.Locale.ROOT);
        }
        if (v instanceof java.math.BigDecimal decimal) {
            return decimal.stripTrailingZeros();
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return java.math.BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof byte[] bytes) {
            return java.nio.ByteBuffer.wrap(bytes);
        }
        return v;
    }

    /**
     * The statement as one {@code INSERT ... SELECT} over {@code unnest} of one array per tuple
     * parameter, of these element types, then the tail's parameters.
     */
    String columnText(List<String> elementTypes) {
        return columnTexts.computeIfAbsent(elementTypes, types -> {
            StringBuilder sql = new StringBuilder(selectHead).append(selectItems).append("\nFROM unnest(");
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < types.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("CAST(? AS ").append(types.get(i)).append("[])");
                names.append(i == 0 ? "" : ", ").append("c").append(i + 1);
            }
            return sql.append(") WITH ORDINALITY AS u(").append(names).append(", ord) ORDER BY u.ord")
                    .append(tail).toString();
        });
    }

    /** The statement of {@code rows} rows, its parameters positional ({@code ?}). */
    String text(int rows) {
        return texts.computeIfAbsent(rows, n -> {
            StringBuilder sql = new StringBuilder(head.length() + tail.length() + n * (tuple.length() + 2));
            sql.append(head);
            for (int row = 0; row < n; row++) {
                if (row > 0) {
                    sql.append(",\n");
                }
                sql.append(tuple);
            }
            return sql.append(tail).toString();
        });
    }
}
