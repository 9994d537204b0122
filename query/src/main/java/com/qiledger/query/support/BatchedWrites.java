package com.qiledger.query.support;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A projection's write that runs at once, or, while its thread replays inside {@link #batched},
 * waits in a queue that is sent in order as JDBC batches: consecutive writes of the same statement
 * go in one round trip instead of one each (issue 6: a rebuild spent most of its time in one
 * round trip per event and projection). Only handlers of a {@link BatchableHandlers} projection
 * may be run batched, because a queued write has no row count yet and is visible to a read only
 * after {@link #beforeRead()}.
 *
 * <p>Written here, not taken from a library: Spring's {@code batchUpdate} needs every statement of
 * a batch up front, and the handlers produce them one event at a time.
 */
public final class BatchedWrites {

    private static final ThreadLocal<Queue> QUEUE = new ThreadLocal<>();

    private BatchedWrites() {
    }

    /** A write of {@code sql} with named parameters, as {@link JdbcClient#sql} would take it. */
    public static Write sql(JdbcClient jdbc, String sql) {
        return new Write(jdbc, sql);
    }

    /**
     * Runs {@code work} with this thread's writes queued, then sends them, in the order they were
     * made, through {@code jdbc} (in the caller's transaction). A write that fails fails this call.
     */
    public static void batched(NamedParameterJdbcOperations jdbc, Runnable work) {
        if (QUEUE.get() != null) {
            throw new IllegalStateException("already inside a batched run on this thread");
        }
        Queue queue = new Queue(jdbc, new ArrayList<>());
        QUEUE.set(queue);
        try {
            work.run();
            queue.send();
        } finally {
            QUEUE.remove();
        }
    }

    /**
     * Sends this thread's queued writes now, if it is inside {@link #batched}: a handler calls it
     * before it reads a table it writes, so that it reads what the events before wrote.
     */
    public static void beforeRead() {
        Queue queue = QUEUE.get();
        if (queue != null) {
            queue.send();
        }
    }

    private record Queue(NamedParameterJdbcOperations jdbc, List<Queued> writes) {

        void send() {
            BatchedWrites.send(jdbc, writes);
            writes.clear();
        }
    }

    /** Sends each run of consecutive writes of one statement as one JDBC batch, runs in order. */
    static void send(NamedParameterJdbcOperations jdbc, List<Queued> queue) {
        int start = 0;
        while (start < queue.size()) {
            String sql = queue.get(start).sql();
            int end = start + 1;
            while (end < queue.size() && queue.get(end).sql().equals(sql)) {
                end++;
            }
            SqlParameterSource[] params = new SqlParameterSource[end - start];
            for (int i = start; i < end; i++) {
                params[i - start] = queue.get(i).params();
            }
            jdbc.batchUpdate(sql, params);
            start = end;
        }
    }

    record Queued(String sql, SqlParameterSource params) {
    }

    /** One write being built: its parameters, then {@link #update()}. */
    public static final class Write {

        private final JdbcClient jdbc;
        private final String sql;
        private final MapSqlParameterSource params = new MapSqlParameterSource();

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

        /** Runs the write now, or queues it inside {@link BatchedWrites#batched}. */
        public void update() {
            Queue queue = QUEUE.get();
            if (queue == null) {
                jdbc.sql(sql).paramSource(params).update();
            } else {
                queue.writes().add(new Queued(sql, params));
            }
        }
    }
}
