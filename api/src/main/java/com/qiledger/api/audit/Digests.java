package com.qiledger.api.audit;

import com.qiledger.api.platform.LedgerProperties;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
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
 * reads what was written since the digest before it, a little at a time: the chain heads
 * of the entities whose events lie between the two positions and the receipts between the two
 * numbers ({@link DigestDeltas}), which it adds to that digest's tree ({@link MerkleFrontier}). No lock
 * is taken: writers go on meanwhile, above the numbers.
 */
@Service
public class Digests {

    private final JdbcClient jdbc;
    private final LedgerKey key;
    private final Clock clock;
    private final Duration wait;
    private final long readSize;
    private final TransactionTemplate snapshot;
    private final TransactionTemplate write;
    private final DataSource dataSource;

    public Digests(JdbcClient jdbc, LedgerKey key, Clock clock, LedgerProperties properties,
                   PlatformTransactionManager transactions, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.key = key;
        this.clock = clock;
        this.wait = properties.audit().digestWait();
        this.readSize = Math.max(1, properties.audit().digestReadSize());
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

    /**
     * The leaves of a digest's tree: each stream's place (its last chain leaf) and head sequence, every
     * leaf hash in order, and how many leaves of each kind.
     */
    public record Leaves(Map<String, Integer> indexOf, Map<String, Long> headOf, List<byte[]> hashes, long chains,
                         long receipts) {
    }

    /** A kept version 2 digest, as the next one needs it. */
    private record Tip(long id, long position, long receiptPosition, long chains, long receipts, byte[] frontier) {
    }

    /**
     * A new digest of everything committed so far, signed and kept: version 2, adding what was written
     * since the newest version 2 digest to its tree. One at a time in the whole cluster: this node's
     * {@link #making} lock, then PostgreSQL's advisory lock {@link #LOCK} held on a connection of its own
     * for the whole making ({@link ClusterLock}). Without the second, nodes that read the same newest
     * digest all extended it, all but one started again, and a node that lost three times in a row
     * answered 500 (AuditEndToEndTest, four nodes at once). A node that waits longer than
     * {@code ledger.audit.digest-wait} for the lock gets {@link DigestBusyException} (503). Made again (at
     * most three times) should a digest extend the same one anyway (a node of an older version).
     */
    public Digest create() {
        making.lock();
        try (ClusterLock held = ClusterLock.take(dataSource, wait)) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return createOnce();
                } catch (DuplicateKeyException another) {
                    if (attempt == 3) {
                        throw another;
                    }
                }
            }
        } finally {
            making.unlock();
        }
    }

    /** Held while this node makes a digest: one at a time, each extending the one before. */
    private final java.util.concurrent.locks.ReentrantLock making = new java.util.concurrent.locks.ReentrantLock();

    /** The advisory lock's key: held by the node making a digest, for as long as it makes it. */
    public static final String LOCK = "qi-ledger audit digest";

    /**
     * PostgreSQL's session-level advisory lock {@link #LOCK} on a pooled connection kept for the
     * purpose: taken in a short transaction whose {@code lock_timeout} bounds the wait (the setting ends
     * with it, the lock does not), released before the connection goes back to the pool. Should the
     * connection break, PostgreSQL ends the session and the lock with it.
     */
    private static final class ClusterLock implements AutoCloseable {

        private final Connection connection;

        private ClusterLock(Connection connection) {
            this.connection = connection;
        }

        static ClusterLock take(DataSource dataSource, Duration wait) {
            Connection connection;
            try {
                connection = dataSource.getConnection();
            } catch (SQLException e) {
                throw new DataAccessResourceFailureException("no connection for the digest's lock", e);
            }
            try {
                connection.setAutoCommit(false);
                try (var timeout = connection.prepareStatement("SELECT set_config('lock_timeout', ?, true)");
                     var lock = connection.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
                    timeout.setString(1, Math.max(1, wait.toMillis()) + "ms");
                    timeout.execute();
                    lock.setString(1, LOCK);
                    lock.execute();
                }
                connection.commit();
                connection.setAutoCommit(true);
                return new ClusterLock(connection);
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) {
                    // not taken: the pool rolls the failed transaction back
                    close(connection);
                    throw new DigestBusyException("another node has been making a digest for longer than "
                            + wait.toMillis() + " ms; retry shortly");
                }
                // perhaps taken: never back to the pool holding it
                end(connection);
                throw new DataAccessResourceFailureException("the digest's lock could not be taken", e);
            }
        }

        @Override
        public void close() {
            try (var unlock = connection.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
                unlock.setString(1, LOCK);
                unlock.execute();
            } catch (SQLException e) {
                end(connection);
                return;
            }
            close(connection);
        }

        /** Never back to the pool still holding the lock: the session ends, and the lock with it. */
        private static void end(Connection connection) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException ignored) {
                // closed below either way
            }
            close(connection);
        }

        private static void close(Connection connection) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
        }
    }

    private Digest createOnce() {
        record Mark(String snapshot, long position, long receipts) {
        }
        Optional<Tip> tip = jdbc.sql("""
                        SELECT digest_id, position, receipt_position, chains, receipts, frontier FROM audit_digest
                        WHERE version = 2 ORDER BY digest_id DESC LIMIT 1
                        """)
                .query((rs, n) -> new Tip(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                        rs.getBytes(6)))
                .optional();
        Mark mark = jdbc.sql("""
                        SELECT CAST(pg_current_snapshot() AS TEXT) AS snap,
                            (SELECT coalesce(max(globalindex), 0) FROM domainevententry) AS position,
                            (SELECT coalesce(max(audit_seq), 0) FROM receipt) AS receipts
                        """)
                .query((rs, n) -> new Mark(rs.getString("snap"), rs.getLong("position"), rs.getLong("receipts")))
                .single();
        awaitInFlight(mark.snapshot());
        long fromPosition = tip.map(Tip::position).orElse(0L);
        long fromReceipts = tip.map(Tip::receiptPosition).orElse(0L);
        long position = Math.max(fromPosition, mark.position());
        long receiptPosition = Math.max(fromReceipts, mark.receipts());
        DigestDeltas.Delta delta = delta(fromPosition, position, fromReceipts, receiptPosition);
        MerkleFrontier frontier = tip.map(t -> MerkleFrontier.decode(t.chains() + t.receipts(), t.frontier()))
                .orElseGet(MerkleFrontier::empty)
                .appendAll(delta.hashes());
        long chains = tip.map(Tip::chains).orElse(0L) + delta.chains();
        long receipts = tip.map(Tip::receipts).orElse(0L) + delta.receipts();
        long previous = tip.map(Tip::id).orElse(0L);
        byte[] root = frontier.root();
        return write.execute(tx -> {
            long id = jdbc.sql("SELECT nextval('audit_digest_seq')").query(Long.class).single();
            Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Digest unsigned = new Digest(Digest.VERSION, id, previous, at, position, receiptPosition, chains, receipts,
                    root, Digest.ALGORITHM, key.publicKey().getEncoded(), new byte[0]);
            Digest signed = unsigned.signed(key.sign(unsigned.statement()));
            jdbc.sql("""
                            INSERT INTO audit_digest (digest_id, created_at, position, receipt_position, chains,
                                receipts, root, algorithm, public_key, signature, version, previous_id, frontier)
                            VALUES (:id, :at, :position, :receipts_at, :chains, :receipts, :root, :algorithm, :key,
                                :signature, :version, :previous, :frontier)
                            """)
                    .param("id", id).param("at", Timestamp.from(at)).param("position", signed.position())
                    .param("receipts_at", signed.receiptPosition()).param("chains", signed.chains())
                    .param("receipts", signed.receipts()).param("root", root).param("algorithm", Digest.ALGORITHM)
                    .param("key", signed.publicKey()).param("signature", signed.signature())
                    .param("version", signed.version()).param("previous", previous)
                    .param("frontier", frontier.encoded())
                    .update();
            return signed;
        });
    }

    /**
     * What a version 2 digest adds: the chain links of the events in (from, to], by their position
     * (V27's index), and the receipts in (fromReceipts, toReceipts] by
     * {@code audit_seq} (V24's index), in that order: what was written since the digest before, not the
     * ledger. Read {@code ledger.audit.digest-read-size} (5,000) rows at a time in short statements,
     * resting twice as long as each took: a digest is background work and takes at most a third of one
     * core from the deliveries (issue 20:
     * a minute's 100k deliveries read at once took a core for a second, and the acknowledgements of that
     * moment waited). Every row below the numbers has committed (the digest waited for the transactions
     * in flight) and is never changed (the fence, V17), so the chunks need no common snapshot.
     */
    private DigestDeltas.Delta delta(long from, long to, long fromReceipts, long toReceipts) {
        List<DigestDeltas.Link> links = new ArrayList<>();
        for (long low = from; low < to; low += readSize) {
            long started = System.nanoTime();
            jdbc.sql("""
                            SELECT aggregate_id, global_index, seq, hash FROM audit_chain
                            WHERE global_index > :from AND global_index <= :to
                            """)
                    .param("from", low).param("to", Math.min(to, low + readSize))
                    .query(rs -> {
                        links.add(new DigestDeltas.Link(rs.getString(1), rs.getLong(2), rs.getLong(3),
                                rs.getBytes(4)));
                    });
            rest(started);
        }
        List<byte[]> receipts = new ArrayList<>();
        for (long low = fromReceipts; low < toReceipts; low += readSize) {
            long started = System.nanoTime();
            jdbc.sql(RECEIPT_LEAVES + " WHERE audit_seq > :from AND audit_seq <= :to ORDER BY audit_seq")
                    .param("from", low).param("to", Math.min(toReceipts, low + readSize))
                    .query(rs -> {
                        receipts.add(MerkleTree.leafHash(DigestLeaves.receiptLeaf(receiptFields(rs))));
                    });
            rest(started);
        }
        return DigestDeltas.delta(links, receipts);
    }

    /** Rests twice as long as the work since {@code started} took (at most a second). */
    private static void rest(long started) {
        long millis = Math.min(1_000, 2 * (System.nanoTime() - started) / 1_000_000);
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DigestBusyException("interrupted while reading what the digest covers");
            }
        }
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

    /**
     * The leaf hashes of a version 1 digest at those numbers: every chain head, then every receipt, in
     * key order (see {@link DigestLeaves}).
     */
    Leaves leavesV1(long position, long receiptPosition) {
        // Both reads take every row up to the numbers: in this transaction a sequential scan and an
        // in-memory sort, not the pool's index-only plans (enable_seqscan is off for the write path,
        // application.yml) walking the heap in key order, nor a sort spilled to disk (issue 20: the
        // digest each minute competed with intake for the same 2 cores, 0.5 s of PostgreSQL at 61k
        // receipts, and the ack p99 at half load rose while it ran).
        jdbc.sql("SELECT set_config('enable_seqscan', 'on', true), set_config('work_mem', '64MB', true)")
                .query(rs -> { });
        Map<String, Integer> indexOf = new HashMap<>();
        Map<String, Long> headOf = new HashMap<>();
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
            indexOf.put(h.stream(), hashes.size());
            headOf.put(h.stream(), h.seq());
            hashes.add(MerkleTree.leafHash(DigestLeaves.chainLeaf(h.stream(), h.seq(), h.hash())));
        }
        long[] receipts = {0};
        jdbc.sql(RECEIPT_LEAVES + " WHERE audit_seq <= :receipts ORDER BY receipt_id")
                .param("receipts", receiptPosition)
                .query(rs -> {
                    hashes.add(MerkleTree.leafHash(DigestLeaves.receiptLeaf(receiptFields(rs))));
                    receipts[0]++;
                });
        return new Leaves(indexOf, headOf, hashes, found.size(), receipts[0]);
    }

    /** The receipt columns a leaf covers ({@link #receiptFields}), and its place in the version 2 tree. */
    private static final String RECEIPT_LEAVES = """
            SELECT receipt_id, body_sha256, received_at, content_type, webhook_type, signature_method, signature_uri,
                signature_authorization, signature_client_key, audit_seq
            FROM receipt""";

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
        return new Digest(rs.getInt("version"), rs.getLong("digest_id"), rs.getLong("previous_id"),
                rs.getTimestamp("created_at").toInstant(), rs.getLong("position"), rs.getLong("receipt_position"),
                rs.getLong("chains"), rs.getLong("receipts"), rs.getBytes("root"), rs.getString("algorithm"),
                rs.getBytes("public_key"), rs.getBytes("signature"));
    }

    /** The leaves of a kept digest, read again (for a proof). */
    public Leaves leavesOf(Digest digest) {
        return snapshot.execute(tx -> digest.version() == 1 ? leavesV1(digest.position(), digest.receiptPosition())
                : leavesV2(digest));
    }

    /**
     * The whole tree of a version 2 digest: the deltas of every version 2 digest up to it, in order. One
     * read of the chain (its head per entity and digest, grouped by the digests' positions) and one of the
     * receipts, as a version 1 digest read them.
     */
    private Leaves leavesV2(Digest digest) {
        List<DigestDeltas.Bounds> bounds = jdbc.sql("""
                        SELECT position, receipt_position FROM audit_digest WHERE version = 2 AND digest_id <= :id
                        ORDER BY digest_id
                        """)
                .param("id", digest.id())
                .query((rs, n) -> new DigestDeltas.Bounds(rs.getLong(1), rs.getLong(2))).list();
        jdbc.sql("SELECT set_config('enable_seqscan', 'on', true), set_config('work_mem', '64MB', true)")
                .query(rs -> { });
        // bucket i: the events digest i added (never an empty array: the last bound is past every position)
        Long[] thresholds = java.util.stream.Stream.concat(bounds.stream().limit(Math.max(0, bounds.size() - 1))
                .map(b -> b.position() + 1), java.util.stream.Stream.of(Long.MAX_VALUE)).toArray(Long[]::new);
        List<DigestDeltas.Link> links = new ArrayList<>();
        jdbc.sql("""
                        SELECT DISTINCT ON (b, aggregate_id)
                            width_bucket(global_index, CAST(:thresholds AS BIGINT[])) AS b,
                            aggregate_id, global_index, seq, hash
                        FROM audit_chain WHERE global_index <= :position
                        ORDER BY b, aggregate_id, seq DESC
                        """)
                .param("thresholds", thresholds).param("position", digest.position())
                .query(rs -> {
                    links.add(new DigestDeltas.Link(rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getBytes(5)));
                });
        List<DigestDeltas.ReceiptLeaf> receipts = new ArrayList<>();
        jdbc.sql(RECEIPT_LEAVES + " WHERE audit_seq <= :receipts")
                .param("receipts", digest.receiptPosition())
                .query(rs -> {
                    receipts.add(new DigestDeltas.ReceiptLeaf(rs.getLong("audit_seq"),
                            MerkleTree.leafHash(DigestLeaves.receiptLeaf(receiptFields(rs)))));
                });
        Map<String, Integer> indexOf = new HashMap<>();
        Map<String, Long> headOf = new HashMap<>();
        List<byte[]> hashes = new ArrayList<>();
        long chains = 0;
        long receiptCount = 0;
        for (DigestDeltas.Delta delta : DigestDeltas.deltas(bounds, links, receipts)) {
            for (int i = 0; i < delta.streams().size(); i++) {
                indexOf.put(delta.streams().get(i), hashes.size() + i);
                headOf.put(delta.streams().get(i), delta.heads().get(i));
            }
            hashes.addAll(delta.hashes());
            chains += delta.chains();
            receiptCount += delta.receipts();
        }
        return new Leaves(indexOf, headOf, hashes, chains, receiptCount);
    }

    public LedgerKey key() {
        return key;
    }
}
