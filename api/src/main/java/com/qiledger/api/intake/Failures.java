package com.qiledger.api.intake;

import java.sql.SQLException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/** Tells a store failure, a concurrent append and a refusal by the domain apart. */
final class Failures {

    static final String UNIQUE_VIOLATION = "23505";
    static final String SERIALIZATION_FAILURE = "40001";
    static final String DEADLOCK_DETECTED = "40P01";
    /** A statement cancelled by {@code statement_timeout} (or by a cancel request). */
    static final String QUERY_CANCELED = "57014";
    static final String SEQUENCE_CONSTRAINT = "domainevententry_aggregate_sequence_key";
    /** The hash chain's own sequence key (issue 21): taken first by another writer, as the event store's. */
    static final String CHAIN_CONSTRAINT = "audit_chain_pkey";

    private Failures() {
    }

    /**
     * How long to wait before retry {@code attempt} (0-based) after a lost race: exponential from
     * 5 ms, capped at 200 ms, with jitter, so contenders for one entity spread out instead of
     * colliding again in lock-step.
     */
    static long backoffMillis(int attempt, java.util.random.RandomGenerator random) {
        long base = Math.min(200, 5L << Math.min(attempt, 6));
        return base / 2 + random.nextLong(base + 1);
    }

    /** Another delivery appended to the same entity first: retry the whole delivery. */
    static boolean isConcurrentAppend(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConcurrencyException || t instanceof AggregateStreamCreationException) {
                return true;
            }
            // At commit the JDBC store reports a lost race as the sequence constraint itself (two
            // deliveries creating one entity, or appending the same next sequence), and PostgreSQL
            // may pick a deadlock victim or fail a serialisation: all are "try again".
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                String message = String.valueOf(sql.getMessage());
                boolean sequenceTaken = UNIQUE_VIOLATION.equals(state)
                        && (message.contains(SEQUENCE_CONSTRAINT) || message.contains(CHAIN_CONSTRAINT));
                if (sequenceTaken || SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The database, not the payload, is at fault: answer 503 and let the provider resend. */
    static boolean isStoreFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException || t instanceof DataAccessException || t instanceof TransactionException
                    || t instanceof EventStoreException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The database refused the delivery's data itself (SQLSTATE class 22, data exception: a value too
     * long, a numeric overflow, a character it cannot store; class 54, a program limit such as an
     * index row too large): the same body would fail the same way every time, so it is quarantined
     * at once with that reason rather than answered 503 for the provider to resend forever.
     */
    static boolean isDataRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("54"))) {
                return true;
            }
        }
        return false;
    }

    /** The work ran out of time: the delivery's deadline passed, or a statement hit its timeout. */
    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DeadlineExceededException) {
                return true;
            }
            if (t instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
