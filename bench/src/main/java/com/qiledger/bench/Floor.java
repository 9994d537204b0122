package com.qiledger.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The floor (issue 20): the least durable work one webhook needs, with no JVM service, no HTTP, no
 * Axon: one receipt row (the raw ~700-byte body, its SHA-256) and one event row (a ~600-byte JSON
 * payload and its metadata), into tables made by the ledger's own migrations (V1, V2: the same
 * columns, the same five unique indexes), on the service's own embedded server (fsync on, default
 * synchronous_commit), from as many senders as the service's load has. Two ways:
 * <ul>
 *   <li>{@code per_delivery}: each sender commits its own delivery (two INSERTs and a COMMIT);</li>
 *   <li>{@code group_commit}: senders hand their delivery to one committer, which writes whatever is
 *   waiting (at most {@code BATCH} deliveries) as one multi-row INSERT per table and one COMMIT, then
 *   answers every sender of the batch; no added wait, a batch is whatever queued during the last
 *   commit.</li>
 * </ul>
 * Side by side with the service and pgbench in one run, it shows how close the service is to what
 * its own schema allows. The tables live in a database of their own ({@code bench_floor}, dropped
 * afterwards), so the ledger's store and read models are untouched.
 */
final class Floor {

    static final String DATABASE = "bench_floor";
    static final int BATCH = 256;

    private Floor() {
    }

    static Map<String, Object> run(Service service, Config config) throws IOException, SQLException,
            InterruptedException {
        try (Connection c = service.jdbc("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        Path migrations = config.repo().resolve("api/src/main/resources/db/migration");
        try (Connection c = service.jdbc(DATABASE); Statement s = c.createStatement()) {
            s.execute(Files.readString(migrations.resolve("V1__axon_event_store.sql"), StandardCharsets.UTF_8));
            s.execute(Files.readString(migrations.resolve("V2__receipts.sql"), StandardCharsets.UTF_8));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("senders", config.concurrency());
        out.put("seconds", config.maxDuration().toSeconds());
        out.put("body_bytes", PgBench.document(700).length());
        out.put("per_delivery", measure(service, config, false));
        out.put("group_commit", measure(service, config, true));
        try (Connection c = service.jdbc("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
        return out;
    }

    private record Row(byte[] body, byte[] sha, UUID receipt, String aggregate, byte[] payload, byte[] metadata,
                       CompletableFuture<Void> done) {
    }

    private static Map<String, Object> measure(Service service, Config config, boolean group) throws SQLException,
            IOException, InterruptedException {
        String mode = group ? "group_commit" : "per_delivery";
        System.out.println("    floor " + mode + ": " + config.concurrency() + " senders, "
                + config.maxDuration().toSeconds() + " s");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong committed = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        BlockingQueue<Row> queue = new ArrayBlockingQueue<>(config.concurrency() * 2);
        List<Thread> threads = new ArrayList<>();
        List<Histogram> latencies = new ArrayList<>();
        List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        if (group) {
            Connection committer = service.jdbc(DATABASE, true);
            committer.setAutoCommit(false);
            threads.add(new Thread(() -> {
                List<Row> batch = new ArrayList<>(BATCH);
                try (committer) {
                    while (running.get() || !queue.isEmpty()) {
                        Row first = queue.poll(100, TimeUnit.MILLISECONDS);
                        if (first == null) {
                            continue;
                        }
                        batch.add(first);
                        queue.drainTo(batch, BATCH - 1);
                        write(committer, batch);
                        committer.commit();
                        batches.incrementAndGet();
                        batch.forEach(r -> r.done().complete(null));
                        batch.clear();
                    }
                } catch (Exception e) {
                    failures.add(e);
                    batch.forEach(r -> r.done().completeExceptionally(e));
                }
            }, "floor-committer"));
        }
        long started = System.nanoTime();
        double cpuBefore = service.postgresCpuSeconds();
        for (int i = 0; i < config.concurrency(); i++) {
            Histogram latency = new Histogram(60_000_000_000L, 3);
            latencies.add(latency);
            Connection own = group ? null : service.jdbc(DATABASE, true);
            if (own != null) {
                own.setAutoCommit(false);
            }
            final int sender = i;
            threads.add(new Thread(() -> {
                MessageDigest sha = sha256();
                try {
                    while (running.get()) {
                        long t = System.nanoTime();
                        Row row = row(sha);
                        if (group) {
                            queue.put(row);
                            row.done().get();
                        } else {
                            write(own, List.of(row));
                            own.commit();
                        }
                        latency.recordValue(System.nanoTime() - t);
                        committed.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.add(e);
                } finally {
                    if (own != null) {
                        try {
                            own.close();
                        } catch (SQLException ignored) {
                            // closing after the measurement
                        }
                    }
                }
            }, "floor-sender-" + sender));
        }
        threads.forEach(Thread::start);
        Thread.sleep(config.maxDuration().toMillis());
        // read while every connection is still open: a backend's CPU is counted only while it lives
        double cpu = service.postgresCpuSeconds() - cpuBefore;
        long count = committed.get();
        double wall = (System.nanoTime() - started) / 1e9;
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
        Histogram all = new Histogram(60_000_000_000L, 3);
        latencies.forEach(all::add);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deliveries_per_second", count / wall);
        out.put("p50_ms", all.getValueAtPercentile(50) / 1e6);
        out.put("p99_ms", all.getValueAtPercentile(99) / 1e6);
        out.put("postgres_cpu_cores", cpu / wall);
        out.put("postgres_cpu_ms_per_delivery", count == 0 ? null : cpu * 1000 / count);
        if (group) {
            out.put("commits", batches.get());
            out.put("deliveries_per_commit", batches.get() == 0 ? null : (double) count / batches.get());
        }
        out.put("failures", failures.size());
        if (!failures.isEmpty()) {
            out.put("first_failure", failures.get(0).toString());
        }
        System.out.printf("    floor %s: %.0f deliveries/s, p99 %.1f ms, PostgreSQL %.2f cores%n", mode,
                count / wall, all.getValueAtPercentile(99) / 1e6, cpu / wall);
        return out;
    }

    /** One delivery's rows: the receipt and the event it causes, shaped as the service writes them. */
    private static Row row(MessageDigest sha) {
        String key = UUID.randomUUID().toString();
        byte[] body = PgBench.document(700).replace("KEY", key).getBytes(StandardCharsets.UTF_8);
        byte[] payload = ("{\"key\":\"" + key + "\",\"status\":\"PAID\",\"occurredAt\":\"2023-01-10T17:08:46Z\","
                + "\"recordedAt\":\"" + Instant.now() + "\",\"facts\":{\"ourNumber\":\"69993012\",\"payment\":"
                + "{\"paidAmount\":551.5,\"discountAmount\":0.0,\"paidInterestAmount\":0.0,\"paymentBank\":\"329\","
                + "\"paymentBankIspb\":\"32402502\",\"paymentBranch\":\"0001\",\"paymentAccount\":\"1727560-2\","
                + "\"paymentMethod\":\"2\",\"paymentOrigin\":{\"code\":\"901\",\"description\":\"Pix QR code\"},"
                + "\"paidIn\":{\"name\":\"QI TECH\",\"codeNumber\":\"329\",\"ispb\":\"32402502\"},"
                + "\"paymentCreditDate\":\"2023-01-10\",\"originType\":\"qr_code\",\"agentType\":\"system\"}}}")
                .getBytes(StandardCharsets.UTF_8);
        UUID receipt = UUID.randomUUID();
        byte[] metadata = ("{\"receiptId\":\"" + receipt + "\",\"traceId\":\"" + UUID.randomUUID()
                + "\",\"correlationId\":\"" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8);
        return new Row(body, sha.digest(body), receipt, "BankSlip:" + key, payload, metadata, new CompletableFuture<>());
    }

    /** The rows of {@code batch}: one multi-row INSERT per table (the driver rewrites the JDBC batch). */
    private static void write(Connection c, List<Row> batch) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        try (PreparedStatement receipts = c.prepareStatement("""
                INSERT INTO receipt (receipt_id, body_sha256, body, content_type, webhook_type, received_at,
                    outcome, reason, position, attempts, last_attempt_at)
                VALUES (?, ?, ?, 'application/json', 'bank_slip.status_change', ?, 'applied', NULL, NULL, 1, ?)
                """);
             PreparedStatement events = c.prepareStatement("""
                INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type, eventidentifier, metadata,
                    payload, payloadrevision, payloadtype, timestamp)
                VALUES (?, 0, 'BankSlip', ?, ?, ?, '1', 'com.qiledger.command.messages.bankslip.BankSlipPaid', ?)
                """)) {
            String timestamp = Instant.now().toString();
            for (Row r : batch) {
                receipts.setObject(1, r.receipt());
                receipts.setBytes(2, r.sha());
                receipts.setBytes(3, r.body());
                receipts.setTimestamp(4, now);
                receipts.setTimestamp(5, now);
                receipts.addBatch();
                events.setString(1, r.aggregate());
                events.setString(2, UUID.randomUUID().toString());
                events.setBytes(3, r.metadata());
                events.setBytes(4, r.payload());
                events.setString(5, timestamp);
                events.addBatch();
            }
            receipts.executeBatch();
            events.executeBatch();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
