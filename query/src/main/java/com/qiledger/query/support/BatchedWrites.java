package com.qiledger.query.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A projection's write that runs at once, or, while its thread replays inside {@link #batched},
 * waits in a queue of its table that is sent in order as JDBC batches: consecutive writes of the
 * same statement go in one round trip instead of one each (issue 6: a rebuild spent most of its time
 * in one round trip per event and projection). Only handlers of a {@link BatchableHandlers}
 * projection may be run batched, because a queued write has no row count yet and is visible to a
 * read only after {@link #beforeRead(String)}.
 *
 * <p>Queues are kept per table (the one named after {@code INSERT INTO}, {@code UPDATE} or
 * {@code DELETE FROM}): a write of a batchable projection touches only its own table, so writes to
 * different tables commute and only each table's order matters. Kept together, a table's writes of
 * one statement form long runs, one round trip each, where events of different kinds interleaved
 * them into runs of one or two (the finance fold writes six tables).
 *
 * <p>Written here, not taken from a library: Spring's {@code batchUpdate} needs every statement of
 * a batch up front, and the handlers produce them one event at a time.
 */
public final class BatchedWrites {

    private static final ThreadLocal<Queue> QUEUE = new ThreadLocal<>();
    private static final Pattern TABLE = Pattern.compile(
            "^\\s*(?:INSERT\\s+INTO|UPDATE|DELETE\\s+FROM)\\s+([A-Za-z_][A-Za-z0-9_.]*)",
            Pattern.CASE_INSENSITIVE);
    /** The table of each statement text; the texts are the projections' constants, so this stays small. */
    private static final Map<String, String> TABLES = new ConcurrentHashMap<>();

    private BatchedWrites() {
    }

    /** A write of {@code sql} with named parameters, as {@link JdbcClient#sql} would take it. */
    public static Write sql(JdbcClient jdbc, String sql) {
        return new Write(jdbc, sql);
    }

    /**
     * Runs {@code work} with this thread's writes queued, then sends them through {@code jdbc} (in the
     * caller's transaction), table by table, each table's in the order they were made. A write that
     * fails fails this call. {@code work} replays each event once, in global order, into tables that
     * hold only earlier events (see {@link Write#applyGuarded()}).
     */
    public static void batched(NamedParameterJdbcOperations jdbc, Runnable work) {
        if (QUEUE.get() != null) {
            throw new IllegalStateException("already inside a batched run on this thread");
        }
        Queue queue = new Queue(jdbc, new LinkedHashMap<>(), new HashMap<>());
        QUEUE.set(queue);
        try {
            work.run();
            queue.sendAll();
        } finally {
            QUEUE.remove();
        }
    }

    /**
     * Opens a run of queued writes on this thread that lasts until {@link Run#close()}: what
     * {@link #batched} does around a runnable, for a run whose end is another callback (a live
     * projection's batch, which ends when its unit of work commits: {@link BatchedProjectionWrites}).
     */
    public static Run open(NamedParameterJdbcOperations jdbc) {
        if (QUEUE.get() != null) {
            throw new IllegalStateException("already inside a batched run on this thread");
        }
        Queue queue = new Queue(jdbc, new LinkedHashMap<>(), new HashMap<>());
        QUEUE.set(queue);
        return new Run(queue);
    }

    /** A run of queued writes opened with {@link #open}, on the thread that opened it. */
    public static final class Run implements AutoCloseable {

        private final Queue queue;
        private boolean open = true;

        private Run(Queue queue) {
            this.queue = queue;
        }

        /** Sends every queued write, table by table, each table's in order. */
        public void flush() {
            queue.sendAll();
        }

        /** Whether this thread's writes are still queued. */
        public boolean isOpen() {
            return open;
        }

        /** Ends the run without sending what is queued: this thread's writes run at once again. */
        @Override
        public void close() {
            if (open && QUEUE.get() == queue) {
                QUEUE.remove();
            }
            open = false;
        }
    }

    /**
     * Sends this thread's queued writes to {@code table} now, if it is inside {@link #batched}: a
     * handler calls it before it reads a table it writes, so that it reads what the events before
     * wrote there. Writes queued for other tables wait.
     */
    public static void beforeRead(String table) {
        Queue queue = QUEUE.get();
        if (queue != null) {
            queue.send(table);
        }
    }

    /**
     * A value that lives as long as one batched run of this thread, made on first use: what a handler
     * remembers of the writes it queued, so that it need not send them to read them back. Outside a
     * run there is none: the handler reads the database.
     */
    public static final class RunLocal<T> {

        private final Supplier<T> initial;

        public RunLocal(Supplier<T> initial) {
            this.initial = initial;
        }

        /** This run's value, or empty when this thread's writes go at once. */
        @SuppressWarnings("unchecked")
        public Optional<T> get() {
            Queue queue = QUEUE.get();
            return queue == null ? Optional.empty()
                    : Optional.of((T) queue.locals().computeIfAbsent(this, k -> initial.get()));
        }
    }

    /** The table a write statement changes; a batchable projection's statements each name one. */
    static String tableOf(String sql) {
        return TABLES.computeIfAbsent(sql, s -> {
            Matcher m = TABLE.matcher(s);
            if (!m.find()) {
                throw new IllegalArgumentException("a batched write must be an INSERT INTO, UPDATE or DELETE FROM "
                        + "one table: " + s.strip().lines().findFirst().orElse(""));
            }
            return m.group(1).toLowerCase(Locale.ROOT);
        });
    }

    private record Queue(NamedParameterJdbcOperations jdbc, Map<String, List<Queued>> tables,
                         Map<RunLocal<?>, Object> locals) {

        void add(Queued write) {
            tables.computeIfAbsent(tableOf(write.sql()), t -> new ArrayList<>()).add(write);
        }

        void send(String table) {
            List<Queued> writes = tables.get(table.toLowerCase(Locale.ROOT));
            if (writes != null && !writes.isEmpty()) {
                BatchedWrites.send(jdbc, writes);
                writes.clear();
            }
        }

        void sendAll() {
            tables.keySet().forEach(this::send);
        }
    }

    /**
     * Sends each run of consecutive writes of one statement, runs in order: as multi-row inserts when
     * the statement allows it ({@link MultiRowInsert}), else as one JDBC batch.
     */
    static void send(NamedParameterJdbcOperations jdbc, List<Queued> queue) {
        int start = 0;
        while (start < queue.size()) {
            String sql = queue.get(start).sql();
            int end = start + 1;
            while (end < queue.size() && queue.get(end).sql().equals(sql)) {
                end++;
            }
            List<SqlParameterSource> params = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                params.add(queue.get(i).params());
            }
            Optional<MultiRowInsert> rows = params.size() > 1 ? MultiRowInsert.of(sql) : Optional.empty();
            int sent = rows.isPresent() ? rows.get().send(jdbc, params, 0) : 0;
            if (sent < params.size()) {
                Positional.batch(jdbc, sql, params, sent);
            }
            start = end;
        }
    }

    record Queued(String sql, SqlParameterSource params) {
    }

    /** One write being built: its parameters, then {@link #update()}. */
    public static final class Write {

        private final JdbcClient jdbc;
        private final String sql;
        private final TypedParameters params = new TypedParameters();

        private Write(JdbcClient jdbc, String sql) {
            this.jdbc = jdbc;
            this.sql = sql;
        }

        public Write param(String name, Object value) {
            params.addValue(name, value);
            return this;
        }

        public Write param(String name, Object value, int sqlType) {
            params.addValue(name, value, sqlType);
            return this;
        }

        /**
         * Runs an upsert guarded by its row's position (a {@link GuardedUpsert}) now and tells whether
         * it changed the row, or queues it inside {@link BatchedWrites#batched} and takes it as applied:
         * a batched run replays each event once, in global order, into tables that hold only earlier
         * events (a rebuild's next generation), so the guard passes.
         */
        public boolean applyGuarded() {
            Queue queue = QUEUE.get();
            if (queue == null) {
                return jdbc.sql(sql).paramSource(params).update() > 0;
            }
            queue.add(new Queued(sql, params));
            return true;
        }

        /** Runs the write now, or queues it inside {@link BatchedWrites#batched}. */
        public void update() {
            Queue queue = QUEUE.get();
            if (queue == null) {
                jdbc.sql(sql).paramSource(params).update();
            } else {
                queue.add(new Queued(sql, params));
            }
        }
    }
}
