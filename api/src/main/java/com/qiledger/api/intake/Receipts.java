package com.qiledger.api.intake;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import com.qiledger.api.qitech.ProviderLimits;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The delivery record: every body the provider sent, byte for byte, with its outcome. Identity of
 * a delivery is the SHA-256 of its body; the unique constraint on it is what turns a concurrent or
 * later resend into a duplicate.
 */
@Repository
public class Receipts {

    private final JdbcClient jdbc;

    public Receipts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Bounds the current transaction's statements: a lock held elsewhere or a stalled server fails
     * the delivery (503, the provider resends) instead of holding a thread past the provider's
     * patience. {@code set_config(..., true)} is {@code SET LOCAL}: it ends with the transaction.
     * The transaction also takes its id now, before it draws a receipt number or an event position: a
     * digest that begins meanwhile then sees it in flight and waits for it (audit.Digests, issue 21).
     *
     * <p>Its prepared statements use their generic plans ({@code plan_cache_mode}): the intake's
     * statements take arrays (one element per delivery of a batch), for which PostgreSQL's default
     * never settles on a generic plan and planned every execution again, 40 % on top of the
     * statements' execution under load (issue 20, measured with {@code pg_stat_statements}).
     */
    public void boundTransaction(java.time.Duration statementTimeout, java.time.Duration lockTimeout) {
        jdbc.sql("SELECT set_config('statement_timeout', :statement, true), set_config('lock_timeout', :lock, true),"
                        + " set_config('plan_cache_mode', 'force_generic_plan', true), pg_current_xact_id()")
                .param("statement", statementTimeout.toMillis() + "ms")
                .param("lock", lockTimeout.toMillis() + "ms")
                .query((rs, n) -> 1)
                .list();
    }

    /**
     * Records a new delivery, or returns empty when one with the same body already exists. A
     * concurrent identical delivery blocks on the unique index until this transaction ends. The
     * claim also tells how often the same body failed before without being recorded (timed out:
     * {@link #recordFailure}), read in the same statement.
     */
    public Optional<Claim> claim(Delivery delivery, String webhookType, String outcome, String reason) {
        return claimAll(List.of(new NewReceipt(delivery, webhookType, outcome, reason))).get(0);
    }

    /** A receipt to claim: the delivery, its type, and the outcome and reason it is recorded with. */
    public record NewReceipt(Delivery delivery, String webhookType, String outcome, String reason) {
    }

    /**
     * {@link #claim} for a batch of deliveries, in one statement: one multi-row insert from arrays,
     * each row claimed unless its body exists (a body twice in the batch is claimed once, for its
     * first row). Returns, in the order given, each row's claim or empty when its body was already
     * recorded.
     */
    public List<Optional<Claim>> claimAll(List<NewReceipt> rows) {
        List<Row> written = new ArrayList<>(rows.size());
        Map<UUID, Integer> index = new HashMap<>();
        for (NewReceipt row : rows) {
            UUID id = UUID.randomUUID();
            index.put(id, written.size());
            written.add(new Row(id, row.delivery(), row.webhookType(), row.outcome(), row.reason(), null));
        }
        List<Optional<Claim>> claims = new ArrayList<>(java.util.Collections.nCopies(rows.size(), Optional.empty()));
        insert(written, ", claimed AS (" + INSERT_ROWS + """
                    ON CONFLICT (body_sha256) DO NOTHING
                    RETURNING receipt_id, body_sha256
                )
                SELECT c.receipt_id, f.failures, f.last_reason
                FROM claimed c LEFT JOIN delivery_failure f ON f.body_sha256 = c.body_sha256
                """).query(rs -> {
                    UUID id = (UUID) rs.getObject("receipt_id");
                    claims.set(index.get(id), Optional.of(new Claim(id, rs.getInt("failures"),
                            rs.getString("last_reason"))));
                });
        return claims;
    }

    /** A receipt row written whole, once: its outcome, reason and position already known (issue 20). */
    public record Row(UUID receipt, Delivery delivery, String webhookType, String outcome, String reason,
                      Long position) {
    }

    /**
     * Writes a batch's new receipts, each with its final outcome and position, in one statement, after
     * the events they caused (issue 20: written once, not claimed then completed). A plain insert: a
     * body another transaction recorded meanwhile (the insert waits for it to end) is a unique
     * violation of {@code body_sha256}, and the batch rolls back whole and is written again one by
     * one, where that body is a duplicate. Without {@code ON CONFLICT}, its speculative insertion
     * (one more index probe and WAL record per row) and the RETURNING around it: this was the write
     * path's costliest statement (0.087 ms of PostgreSQL per webhook, {@code pg_stat_statements}).
     *
     * @return the rows written: all of them
     */
    public int writeAll(List<Row> rows) {
        return insert(rows, INSERT_ROWS).update();
    }

    /** A body as the store knows it before a batch: recorded already or not, and its failed attempts. */
    public record Known(boolean recorded, int failures, String lastFailure) {
    }

    /** What the store knows of these bodies (by SHA-256), in one statement; bodies it has never seen are absent. */
    public Map<java.nio.ByteBuffer, Known> known(List<byte[]> shas) {
        Map<java.nio.ByteBuffer, Known> known = new HashMap<>();
        jdbc.sql("""
                        SELECT s.sha, r.receipt_id IS NOT NULL AS recorded, f.failures, f.last_reason
                        FROM unnest(CAST(:shas AS BYTEA[])) AS s(sha)
                        LEFT JOIN receipt r ON r.body_sha256 = s.sha
                        LEFT JOIN delivery_failure f ON f.body_sha256 = s.sha
                        WHERE r.receipt_id IS NOT NULL OR f.body_sha256 IS NOT NULL
                        """)
                .param("shas", shas.toArray(byte[][]::new))
                .query(rs -> {
                    known.put(java.nio.ByteBuffer.wrap(rs.getBytes("sha")), new Known(rs.getBoolean("recorded"),
                            rs.getInt("failures"), rs.getString("last_reason")));
                });
        return known;
    }

    /** The rows of {@code input} (see {@link #insert}) as new receipts, in their order. */
    private static final String INSERT_ROWS = """
            INSERT INTO receipt (receipt_id, body_sha256, body, content_type, webhook_type, received_at,
                outcome, reason, position, attempts, last_attempt_at, signature_method, signature_uri,
                signature_authorization, signature_client_key)
            SELECT receipt_id, body_sha256, body, content_type, webhook_type, received_at, outcome,
                reason, position, 1, received_at, signature_method, signature_uri,
                signature_authorization, signature_client_key
            FROM input ORDER BY n
            """;

    /** {@code statement} after {@code WITH input AS (the rows, numbered n)}. */
    private JdbcClient.StatementSpec insert(List<Row> rows, String statement) {
        int n = rows.size();
        String[] ids = new String[n];
        byte[][] shas = new byte[n][];
        byte[][] bodies = new byte[n][];
        String[] contentTypes = new String[n];
        String[] types = new String[n];
        String[] at = new String[n];
        String[] outcomes = new String[n];
        String[] reasons = new String[n];
        Long[] positions = new Long[n];
        String[] signatureMethods = new String[n];
        String[] signatureUris = new String[n];
        String[] signatureAuthorizations = new String[n];
        String[] signatureClientKeys = new String[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            ids[i] = row.receipt().toString();
            shas[i] = row.delivery().sha256();
            bodies[i] = row.delivery().body();
            contentTypes[i] = ProviderLimits.cut(row.delivery().contentType(), 255);
            types[i] = row.webhookType();
            at[i] = row.delivery().receivedAt().toString();
            outcomes[i] = row.outcome();
            reasons[i] = row.reason();
            positions[i] = row.position();
            StoredSignature signature = row.delivery().signature();
            if (signature != null) {
                signatureMethods[i] = signature.method();
                signatureUris[i] = signature.uri();
                signatureAuthorizations[i] = signature.authorization();
                signatureClientKeys[i] = signature.clientKey();
            }
        }
        return jdbc.sql("""
                        WITH input AS (
                            SELECT * FROM unnest(CAST(:ids AS UUID[]), CAST(:shas AS BYTEA[]), CAST(:bodies AS BYTEA[]),
                                CAST(:contentTypes AS VARCHAR[]), CAST(:types AS VARCHAR[]),
                                CAST(:at AS TIMESTAMPTZ[]), CAST(:outcomes AS VARCHAR[]), CAST(:reasons AS TEXT[]),
                                CAST(:positions AS BIGINT[]),
                                CAST(:sigMethods AS VARCHAR[]), CAST(:sigUris AS TEXT[]), CAST(:sigAuthorizations AS TEXT[]),
                                CAST(:sigClientKeys AS TEXT[]))
                                WITH ORDINALITY AS t(receipt_id, body_sha256, body, content_type, webhook_type,
                                    received_at, outcome, reason, position, signature_method, signature_uri,
                                    signature_authorization, signature_client_key, n)
                        )
                        """ + statement)
                .param("ids", ids)
                .param("shas", shas)
                .param("bodies", bodies)
                .param("contentTypes", contentTypes)
                .param("types", types)
                .param("at", at)
                .param("outcomes", outcomes)
                .param("reasons", reasons)
                .param("positions", positions)
                .param("sigMethods", signatureMethods)
                .param("sigUris", signatureUris)
                .param("sigAuthorizations", signatureAuthorizations)
                .param("sigClientKeys", signatureClientKeys);
    }

    /** A new receipt, and how often the same body failed earlier without being recorded. */
    public record Claim(UUID receipt, int earlierFailures, String lastFailure) {
    }

    /**
     * Counts one failed attempt of a body that could not be recorded (it timed out), in its own
     * short transaction, and returns how many there have been. Kept apart from the receipt because
     * the receipt was rolled back with the attempt.
     */
    public int recordFailure(Delivery delivery, String reason, Instant at) {
        return jdbc.sql("""
                        INSERT INTO delivery_failure (body_sha256, failures, last_reason, first_failed_at,
                            last_failed_at)
                        VALUES (:sha, 1, :reason, :at, :at)
                        ON CONFLICT (body_sha256) DO UPDATE SET failures = delivery_failure.failures + 1,
                            last_reason = EXCLUDED.last_reason, last_failed_at = EXCLUDED.last_failed_at
                        RETURNING failures
                        """)
                .param("sha", delivery.sha256())
                .param("reason", ProviderLimits.cut(reason, ProviderLimits.REASON_CHARS))
                .param("at", Timestamp.from(at))
                .query(Integer.class)
                .single();
    }

    /** Counts a resend on the original receipt and returns that receipt. */
    public Optional<ReceiptSummary> countResend(Delivery delivery) {
        return jdbc.sql("""
                        UPDATE receipt SET attempts = attempts + 1, last_attempt_at = :at
                        WHERE body_sha256 = :sha
                        RETURNING receipt_id, outcome, reason, position, attempts
                        """)
                .param("sha", delivery.sha256())
                .param("at", Timestamp.from(delivery.receivedAt()))
                .query((rs, n) -> new ReceiptSummary((UUID) rs.getObject("receipt_id"), rs.getString("outcome"),
                        rs.getString("reason"), (Long) rs.getObject("position"), rs.getInt("attempts")))
                .optional();
    }

    public void complete(UUID receipt, String outcome, String reason, Long position) {
        jdbc.sql("UPDATE receipt SET outcome = :outcome, reason = :reason, position = :position WHERE receipt_id = :id")
                .param("outcome", outcome)
                .param("reason", ProviderLimits.cut(reason, ProviderLimits.REASON_CHARS))
                .param("position", position)
                .param("id", receipt)
                .update();
    }

    /**
     * Marks a receipt applied at the global position of the newest event in the streams it changed
     * (as this transaction sees them), in one statement; returns that position.
     */
    public Long completeApplied(UUID receipt, List<String> aggregateIds) {
        return jdbc.sql("""
                        UPDATE receipt SET outcome = 'applied', reason = NULL,
                            position = (SELECT max(globalindex) FROM domainevententry
                                        WHERE aggregateidentifier IN (:ids))
                        WHERE receipt_id = :id
                        RETURNING position
                        """)
                .param("ids", aggregateIds)
                .param("id", receipt)
                .query((rs, n) -> (Long) rs.getObject("position"))
                .optional()
                .orElse(null);
    }

    /** The provider's signature kept with a receipt, if any (issue 21). */
    public Optional<StoredSignature> signature(UUID receipt) {
        return jdbc.sql("""
                        SELECT signature_method, signature_uri, signature_authorization, signature_client_key
                        FROM receipt WHERE receipt_id = :id AND signature_authorization IS NOT NULL""")
                .param("id", receipt)
                .query((rs, n) -> new StoredSignature(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4)))
                .optional();
    }

    public Optional<ReceiptRecord> find(UUID receipt) {
        return jdbc.sql("SELECT * FROM receipt WHERE receipt_id = :id")
                .param("id", receipt)
                .query(Receipts::record)
                .optional();
    }

    /**
     * Locks one receipt for a re-drive and returns its outcome; a concurrent re-drive of the same
     * receipt waits here until the first one commits, then sees its result.
     */
    public Optional<String> lockOutcome(UUID receipt) {
        return jdbc.sql("SELECT outcome FROM receipt WHERE receipt_id = :id FOR UPDATE")
                .param("id", receipt)
                .query(String.class)
                .optional();
    }

    public void recordRedrive(UUID receipt, String requestedBy, Instant at, String outcome, String reason,
                              Long position) {
        jdbc.sql("""
                        INSERT INTO receipt_redrive (redrive_id, receipt_id, requested_by, requested_at, outcome,
                            reason, position)
                        VALUES (:id, :receipt, :by, :at, :outcome, :reason, :position)
                        """)
                .param("id", UUID.randomUUID())
                .param("receipt", receipt)
                .param("by", requestedBy)
                .param("at", Timestamp.from(at))
                .param("outcome", outcome)
                .param("reason", reason)
                .param("position", position)
                .update();
    }

    public List<Redrive> redrives(UUID receipt) {
        return jdbc.sql("""
                        SELECT requested_by, requested_at, outcome, reason, position FROM receipt_redrive
                        WHERE receipt_id = :id ORDER BY requested_at, redrive_id
                        """)
                .param("id", receipt)
                .query((rs, n) -> new Redrive(rs.getString("requested_by"), instant(rs.getTimestamp("requested_at")),
                        rs.getString("outcome"), rs.getString("reason"), (Long) rs.getObject("position")))
                .list();
    }

    /** Every outcome a receipt can have (V2's {@code receipt_outcome_check}). */
    static final List<String> OUTCOMES = List.of("applied", "duplicate", "quarantined");

    /**
     * Receipts oldest first, optionally of one outcome, after the receipt {@code after} (keyset
     * paging on received time then id, so pages stay stable while deliveries keep arriving).
     *
     * <p>Each page is read from index ranges only, however many receipts the ledger holds: one outcome
     * is one range of {@code receipt_outcome_received_idx} (outcome, received time, id) from the cursor
     * on; all outcomes are the first {@code limit} of each outcome's range, merged. (No index orders
     * all receipts by received time: one statement with "outcome, if given" sorted the whole table
     * for every page of the unfiltered list.) The cursor is a separate statement text, not an
     * "{@code :after IS NULL OR}" condition, so that it bounds the range instead of filtering it. An
     * outcome no receipt can have is an empty range: an empty page.
     */
    public List<ReceiptRecord> page(String outcome, UUID after, int limit) {
        JdbcClient.StatementSpec statement = jdbc.sql(pageSql(outcome != null, after != null)).param("limit", limit);
        if (outcome != null) {
            statement = statement.param("outcome", outcome);
        }
        if (after != null) {
            statement = statement.param("after", after);
        }
        return statement.query(Receipts::record).list();
    }

    /** {@link #page}'s statement: parameters {@code :limit}, and {@code :outcome} and {@code :after} when named. */
    static String pageSql(boolean oneOutcome, boolean afterCursor) {
        String from = afterCursor
                ? " AND (received_at, receipt_id) > (SELECT received_at, receipt_id FROM receipt WHERE receipt_id = :after)"
                : "";
        String range = "SELECT * FROM receipt WHERE outcome = %s" + from + " ORDER BY received_at, receipt_id LIMIT :limit";
        return oneOutcome ? range.formatted(":outcome")
                : "SELECT * FROM (" + String.join(" UNION ALL ", OUTCOMES.stream()
                        .map(o -> "(" + range.formatted("'" + o + "'") + ")").toList())
                + ") r ORDER BY received_at, receipt_id LIMIT :limit";
    }

    private static ReceiptRecord record(ResultSet rs, int n) throws SQLException {
        return new ReceiptRecord(
                (UUID) rs.getObject("receipt_id"),
                rs.getBytes("body"),
                rs.getString("content_type"),
                rs.getString("webhook_type"),
                instant(rs.getTimestamp("received_at")),
                rs.getString("outcome"),
                rs.getString("reason"),
                (Long) rs.getObject("position"),
                rs.getInt("attempts"),
                instant(rs.getTimestamp("last_attempt_at")));
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    public record Redrive(String requestedBy, Instant requestedAt, String outcome, String reason, Long position) {
    }

    public record ReceiptSummary(UUID receipt, String outcome, String reason, Long position, int attempts) {
    }

    public record ReceiptRecord(UUID receipt, byte[] body, String contentType, String webhookType,
                                Instant receivedAt, String outcome, String reason, Long position, int attempts,
                                Instant lastAttemptAt) {

        /** The receipt as the API shows it, without its body. */
        public java.util.Map<String, Object> summary() {
            java.util.Map<String, Object> view = new java.util.LinkedHashMap<>();
            view.put("receipt", receipt);
            view.put("received_at", receivedAt);
            view.put("last_attempt_at", lastAttemptAt);
            view.put("attempts", attempts);
            view.put("webhook_type", webhookType);
            view.put("outcome", outcome);
            view.put("reason", reason);
            view.put("position", position);
            view.put("content_type", contentType);
            view.put("body_bytes", body.length);
            return view;
        }
    }
}
