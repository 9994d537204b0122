package com.qiledger.query.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The read models' "upsert unless the stored position is newer": a projection's row of one entity
 * remembers the global position of the event that last wrote it, and an event writes the row only when
 * it comes after that position, so that a redelivered, replayed or late event never overwrites what a
 * later one wrote. One statement, built once per projection from the table, its key, the values of a
 * new row and the assignments of an existing one; the position column, its parameter
 * {@code :position} and the guard are added here:
 *
 * <pre>
 * INSERT INTO table AS v (columns, position) VALUES (values, :position)
 * ON CONFLICT (key) DO UPDATE SET assignments, position = EXCLUDED.position
 * WHERE v.position &lt; EXCLUDED.position
 * </pre>
 *
 * In the assignments the stored row is {@code v} and the event's row {@code EXCLUDED}. A handler runs
 * it through {@link #write}, which gives a {@link BatchedWrites.Write} with the position set: add the
 * other parameters, then {@link BatchedWrites.Write#applyGuarded()} when the handler must know whether
 * the row moved to this event, else {@link BatchedWrites.Write#update()}; or, outside a
 * {@link BatchableHandlers} projection, through {@link #now}.
 */
public final class GuardedUpsert {

    private final String sql;

    private GuardedUpsert(String sql) {
        this.sql = sql;
    }

    /** Starts the upsert of {@code table}'s row identified by {@code key} (a column, or columns with commas). */
    public static Into into(String table, String key) {
        return new Into(Objects.requireNonNull(table, "table"), Objects.requireNonNull(key, "key"));
    }

    /**
     * The assignments of columns that follow only the fact the aggregate holds current, stated by the
     * event in the boolean parameter {@code :current}, and keep their value for any other fact:
     * {@code column = CASE WHEN :current THEN EXCLUDED.column ELSE v.column END}, one a column.
     */
    public static String whenCurrent(String... columns) {
        return Arrays.stream(columns)
                .map(column -> column + " = CASE WHEN :current THEN EXCLUDED." + column + " ELSE v." + column + " END")
                .collect(Collectors.joining(",\n"));
    }

    /** The statement, with the named parameters of the values and assignments plus {@code :position}. */
    public String sql() {
        return sql;
    }

    /**
     * This upsert for the event at {@code position}, to be given its other parameters and run as a
     * {@link BatchableHandlers} projection's write: at once, or queued in a batched replay.
     */
    public BatchedWrites.Write write(JdbcClient jdbc, long position) {
        return BatchedWrites.sql(jdbc, sql).param("position", position);
    }

    /**
     * This upsert for the event at {@code position} as a plain statement that runs when it is run, never
     * queued: for a projection that is not {@link BatchableHandlers}. Its update count is 1 when the row
     * moved to this event, 0 when the stored row is at or past it.
     */
    public JdbcClient.StatementSpec now(JdbcClient jdbc, long position) {
        return jdbc.sql(sql).param("position", position);
    }

    /** The table and key; next the columns of a new row. */
    public record Into(String table, String key) {

        /** The columns of a new row but {@code position}, as in an {@code INSERT}. */
        public Columns columns(String columns) {
            if (items(columns).stream().anyMatch(name -> name.equalsIgnoreCase("position"))) {
                throw new IllegalArgumentException(table + ": the position column is the guard's, added by it");
            }
            return new Columns(this, columns.strip());
        }
    }

    /** The columns; next their values. */
    public record Columns(Into into, String columns) {

        /** The values of a new row's columns, in their order: parameters, literals, expressions. */
        public Values values(String values) {
            int columnCount = items(columns).size();
            int valueCount = items(values).size();
            if (columnCount != valueCount) {
                throw new IllegalArgumentException(into.table() + ": " + columnCount + " columns but " + valueCount
                        + " values");
            }
            return new Values(this, values.strip());
        }
    }

    /** The new row; last the assignments of an existing row. */
    public record Values(Columns columns, String values) {

        /** An event after the stored row's position replaces the row: every column but the key takes its value. */
        public GuardedUpsert setAll() {
            Into into = columns.into();
            List<String> key = items(into.key());
            return set(items(columns.columns()).stream()
                    .filter(column -> key.stream().noneMatch(column::equalsIgnoreCase))
                    .map(column -> column + " = EXCLUDED." + column)
                    .collect(Collectors.joining(",\n")));
        }

        /**
         * What an event after the stored row's position sets in it, {@code position} aside: assignments
         * separated by commas, in one text or several (joined, e.g. with {@link #whenCurrent}).
         */
        public GuardedUpsert set(String... assignments) {
            String set = Arrays.stream(assignments).map(String::strip).collect(Collectors.joining(",\n"));
            Into into = columns.into();
            if (items(set).stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException(into.table() + ": an empty assignment (a comma too many?) in "
                        + set);
            }
            if (items(set).stream().anyMatch(item -> item.split("=", 2)[0].strip().equalsIgnoreCase("position"))) {
                throw new IllegalArgumentException(into.table() + ": the position column is the guard's, set by it");
            }
            return new GuardedUpsert("INSERT INTO " + into.table() + " AS v (" + columns.columns() + ", position)\n"
                    + "VALUES (" + values + ", :position)\n"
                    + "ON CONFLICT (" + into.key() + ") DO UPDATE SET\n"
                    + set + ",\n"
                    + "position = EXCLUDED.position\n"
                    + "WHERE v.position < EXCLUDED.position\n");
        }
    }

    /** The items of a comma-separated SQL list, commas inside parentheses or quotes not counted. */
    static List<String> items(String list) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                items.add(list.substring(start, i).strip());
                start = i + 1;
            }
        }
        items.add(list.substring(start).strip());
        return items;
    }
}
