package com.qiledger.api.audit;

import com.qiledger.api.platform.LedgerProperties;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes, keeps and reads the signed digests (issue 21). A digest covers what had committed when it
 * began: it reads the highest event position and receipt number with PostgreSQL's snapshot, waits
 * until every transaction in flight at that moment has ended (each intake transaction takes its id
 * first, so one that may still add an event or a receipt below those numbers is among them), then
 * reads, in one repeatable-read snapshot, every chain head at or below the position and every receipt
 * at or below the number. No lock is taken: writers go on meanwhile, above the numbers.
 */
@Service
public class Digests {

    private final JdbcClient jdbc;
    private final LedgerKey key;
    private final Clock clock;
    private final Duration wait;
    private final TransactionTemplate snapshot;
    private final TransactionTemplate write;

    public Digests(JdbcClient jdbc, LedgerKey key, Clock clock, LedgerProperties properties,
                   PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.key = key;
        this.clock = clock;
        this.wait = properties.audit().digestWait();
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
        this.write = new TransactionTemplate(transactions);
    }

    /** Thrown when transactions in flight did not end within {@code ledger.audit.digest-wait}. */
    public static final class DigestBusyException extends RuntimeException {
        DigestBusyException(String message) {
            super(message);
        }
    }

    /** The leaves of a digest's tree, with the place of each chain head by stream. */
    public record Leaves(List<String> streams, List<Long> heads, List<byte[]> hashes, long receipts) {
    }

    /** A new digest of everything committed so far, signed and kept. */
    public Digest create() {
        record Mark(String snapshot, long position, long receipts) {
        }
        Mark mark = jdbc.sql("""
                        SELECT CAST(pg_current_snapshot() AS TEXT) AS snap,
                            (SELECT coalesce(max(globalindex), 0) FROM domainevententry) AS position,
                            (SELECT coalesce(max(audit_seq), 0) FROM receipt) AS receipts
                        """)
                .query((rs, n) -> new Mark(rs.getString("snap"), rs.getLong("position"), rs.getLong("receipts")))
                .single();
        awaitInFlight(mark.snapshot());
        Leaves leaves = snapshot.execute(tx -> leaves(mark.position(), mark.receipts()));
        byte[] root = MerkleTree.root(leaves.hashes());
        return write.execute(tx -> {
            long id = jdbc.sql("SELECT nextval('audit_digest_seq')").query(Long.class).single();
            Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Digest unsigned = new Digest(id, at, mark.position(), mark.receipts(), leaves.streams().size(),
                    leaves.receipts(), root, Digest.ALGORITHM, key.publicKey().getEncoded(), new byte[0]);
            Digest signed = new Digest(id, at, mark.position(), mark.receipts(), unsigned.chains(),
                    unsigned.receipts(), root, Digest.ALGORITHM, unsigned.publicKey(), key.sign(unsigned.statement()));
            jdbc.sql("""
                            INSERT INTO audit_digest (digest_id, created_at, position, receipt_position, chains,
                                receipts, root, algorithm, public_key, signature)
                            VALUES (:id, :at, :position, :receipts_at, :chains, :receipts, :root, :algorithm, :key,
                                :signature)
                            """)
                    .param("id", id).param("at", Timestamp.from(at)).param("position", signed.position())
                    .param("receipts_at", signed.receiptPosition()).param("chains", signed.chains())
                    .param("receipts", signed.receipts()).param("root", root).param("algorithm", Digest.ALGORITHM)
                    .param("key", signed.publicKey()).param("signature", signed.signature())
                    .update();
            return signed;
        });
    }

    /** Waits until none of the transactions in flight in that snapshot is still running. */
    private void awaitInFlight(String snapshotText) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long running = jdbc.sql("""
                            SELECT count(*) FROM pg_snapshot_xip(CAST(:snap AS pg_snapshot)) AS x(xid)
                            WHERE pg_xact_status(x.xid) = 'in progress'
                            """)
                    .param("snap", snapshotText).query(Long.class).single();
            if (running == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new DigestBusyException(running + " transactions in flight when the digest began did not end "
                        + "within " + wait);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DigestBusyException("interrupted while waiting for transactions in flight");
            }
        }
    }

    /** The leaf hashes of a digest at those numbers, chain heads first, then receipts (see {@link DigestLeaves}). */
    Leaves leaves(long position, long receiptPosition) {
        // Both reads take every row up to the numbers: in this transaction a sequential scan and an
        // in-memory sort, not the pool's index-only plans (enable_seqscan is off for the write path,
        // application.yml) walking the heap in key order, nor a sort spilled to disk (issue 20: the
        // digest each minute competed with intake for the same 2 cores, 0.5 s of PostgreSQL at 61k
        // receipts, and the ack p99 at half load rose while it ran).
        jdbc.sql("SELECT set_config('enable_seqscan', 'on', true), set_config('work_mem', '64MB', true)")
                .query(rs -> { });
        List<String> streams = new ArrayList<>();
        List<Long> heads = new ArrayList<>();
        List<byte[]> hashes = new ArrayList<>();
        record Head(String stream, long seq, byte[] hash) {
        }
        List<Head> found = new ArrayList<>();
        jdbc.sql("""
                        SELECT DISTINCT ON (aggregate_id) aggregate_id, seq, hash FROM audit_chain
                        WHERE global_index <= :position
                        ORDER BY aggregate_id, seq DESC
                        """)
                .param("position", position)
                .query(rs -> {
                    found.add(new Head(rs.getString(1), rs.getLong(2), rs.getBytes(3)));
                });
        found.sort(Comparator.comparing(Head::stream, DigestLeaves.STREAM_ORDER));
        for (Head h : found) {
            streams.add(h.stream());
            heads.add(h.seq());
            hashes.add(MerkleTree.leafHash(DigestLeaves.chainLeaf(h.stream(), h.seq(), h.hash())));
        }
        long[] receipts = {0};
        jdbc.sql("""
                        SELECT receipt_id, body_sha256, received_at, content_type, webhook_type, signature_method,
                            signature_uri, signature_authorization, signature_client_key
                        FROM receipt WHERE audit_seq <= :receipts ORDER BY receipt_id
                        """)
                .param("receipts", receiptPosition)
                .query(rs -> {
                    hashes.add(MerkleTree.leafHash(DigestLeaves.receiptLeaf(receiptFields(rs))));
                    receipts[0]++;
                });
        return new Leaves(streams, heads, hashes, receipts[0]);
    }

    static DigestLeaves.ReceiptFields receiptFields(ResultSet rs) throws SQLException {
        return new DigestLeaves.ReceiptFields(rs.getObject("receipt_id").toString(), rs.getBytes("body_sha256"),
                rs.getTimestamp("received_at").toInstant(), rs.getString("content_type"),
                rs.getString("webhook_type"), rs.getString("signature_method"), rs.getString("signature_uri"),
                rs.getString("signature_authorization"), rs.getString("signature_client_key"));
    }

    /** Kept digests, newest first, before {@code before} (paging by id). */
    public List<Digest> page(Long before, int limit) {
        return jdbc.sql("""
                        SELECT * FROM audit_digest WHERE (CAST(:before AS BIGINT) IS NULL OR digest_id < :before)
                        ORDER BY digest_id DESC LIMIT :limit
                        """)
                .param("before", before).param("limit", limit)
                .query((rs, n) -> digest(rs)).list();
    }

    public Optional<Digest> latest() {
        return page(null, 1).stream().findFirst();
    }

    /** Whether anything was written since the newest digest. */
    public boolean changedSince(Digest digest) {
        return Boolean.TRUE.equals(jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM domainevententry WHERE globalindex > :position)
                            OR EXISTS (SELECT 1 FROM receipt WHERE audit_seq > :receipts)
                        """)
                .param("position", digest.position()).param("receipts", digest.receiptPosition())
                .query(Boolean.class).single());
    }

    public static Digest digest(ResultSet rs) throws SQLException {
        return new Digest(rs.getLong("digest_id"), rs.getTimestamp("created_at").toInstant(), rs.getLong("position"),
                rs.getLong("receipt_position"), rs.getLong("chains"), rs.getLong("receipts"), rs.getBytes("root"),
                rs.getString("algorithm"), rs.getBytes("public_key"), rs.getBytes("signature"));
    }

    /** The leaves of a kept digest, read again (for a proof). */
    public Leaves leavesOf(Digest digest) {
        return snapshot.execute(tx -> leaves(digest.position(), digest.receiptPosition()));
    }

    public LedgerKey key() {
        return key;
    }
}
