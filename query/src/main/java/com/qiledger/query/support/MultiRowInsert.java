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
 * same key is skipped, as it would have been one statement later), with no parameter after its
 * {@code VALUES} tuple and no {@code RETURNING}. An {@code ON CONFLICT ... DO UPDATE} cannot touch one
 * row twice in one statement, so such a statement is multi-row only when its projection declares that a
 * run never queues two rows of one key ({@link #distinctRows}), and runs row by row otherwise.
 *
 * <p>Sizes are powers of two (a run of 100 rows goes as 64 + 32 + 4), so each statement has at most
 * eight texts to parse and prepare, whatever the batch sizes.
 *
 * <p>Written here, not taken from the driver: pgjdbc's {@code reWriteBatchedInserts} rewrites every
 * batched insert of the connection, upserts that may repeat a key included, and answers no row counts.
 */
public final class MultiRowInsert {

    /** The largest statement: 128 rows of a dozen columns stay far below PostgreSQL's 65,535 parameters. */
    static final int MAX_ROWS = 128;

    private static final Pattern HEAD = Pattern.compile("(?is)^\\s*INSERT\\s+INTO\\s+.*?\\bVALUES\\s*(?=\\()");
    private static final Pattern SAFE_TAIL = Pattern.compile("(?is)^\\s*(ON\\s+CONFLICT\\b.*\\bDO\\s+NOTHING)?\\s*$");
    private static final Pattern UPSERT_TAIL = Pattern.compile("(?is)^\\s*ON\\s+CONFLICT\\b.*\\bDO\\s+UPDATE\\b.*$");
    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z_][A-Za-z0-9_]*)");

    private static final Map<String, Optional<MultiRowInsert>> PARSED = new ConcurrentHashMap<>();
    private static final Set<String> DISTINCT = ConcurrentHashMap.newKeySet();

    private final String head;
    /** One row's tuple with {@code ?} for its parameters. */
    private final String tuple;
    private final String tail;
    /** The tuple's parameters in the order they occur, a name used twice listed twice. */
    private final List<String> occurrences;
    private final Map<Integer, String> texts = new ConcurrentHashMap<>();

    private MultiRowInsert(String head, String tuple, String tail, List<String> occurrences) {
        this.head = head;
        this.tuple = PARAMETER.matcher(tuple).replaceAll("?");
        this.tail = tail;
        this.occurrences = occurrences;
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
        boolean safe = SAFE_TAIL.matcher(tail).matches()
                || (DISTINCT.contains(sql) && UPSERT_TAIL.matcher(tail).matches());
        if (!safe || PARAMETER.matcher(tail).find() || tail.toUpperCase(java.util.Locale.ROOT).contains("RETURNING")
                || PARAMETER.matcher(sql.substring(0, open)).find()) {
            return Optional.empty();
        }
        String tuple = sql.substring(open, close + 1);
        List<String> occurrences = new ArrayList<>();
        Matcher p = PARAMETER.matcher(tuple);
        while (p.find()) {
            occurrences.add(p.group(1));
        }
        return Optional.of(new MultiRowInsert(sql.substring(0, open), tuple, tail, List.copyOf(occurrences)));
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
     * Returns the index of the first row not sent: {@code rows.size()}, or a row with a value that
     * Spring would expand into a list ({@link Positional#expands}), which the caller sends its way.
     */
    int send(NamedParameterJdbcOperations jdbc, List<? extends SqlParameterSource> rows, int from) {
        int start = from;
        while (start < rows.size()) {
            int size = Integer.highestOneBit(Math.min(MAX_ROWS, rows.size() - start));
            Object[] args = new Object[size * occurrences.size()];
            int i = 0;
            for (int row = 0; row < size; row++) {
                SqlParameterSource source = rows.get(start + row);
                for (String name : occurrences) {
                    Object value = Positional.value(source, name);
                    if (Positional.expands(value)) {
                        return start;
                    }
                    args[i++] = value;
                }
            }
            jdbc.getJdbcOperations().update(text(size), args);
            start += size;
        }
        return start;
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
