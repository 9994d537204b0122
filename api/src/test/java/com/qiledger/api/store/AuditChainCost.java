package com.qiledger.api.store;

import com.qiledger.api.e2e.TestDataDirs;
import com.qiledger.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the hash chain costs on the write path (issue 21), measured apart from the load generator's noise:
 * batches of 64 events (each naming its receipt, a quarter of them appended to an existing stream),
 * each batch in one transaction as the intake writes it, by an engine with the chain and by one
 * without, in alternating rounds; CPU of this thread (serialising, hashing, JDBC) plus CPU of the
 * PostgreSQL backend serving it (from /proc), per event. Not part of the suite (no *Test name): run it
 * with {@code ./mvnw -o verify -pl api -am -Dtest=AuditChainCost -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class AuditChainCost {

    static final int BATCH = 64;
    static final int BATCHES_PER_ROUND = 60;
    static final int ROUNDS = 4;

    @Test
    void chainOnAgainstChainOff() throws Exception {
        Path data = TestDataDirs.create("chain-cost");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(data)
                .withBinariesDir(Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-test-postgres-bin"))
                .withStartTimeout(Duration.ofSeconds(60)))) {
            SingleConnectionDataSource dataSource = new SingleConnectionDataSource(postgres.jdbcUrl(),
                    postgres.username(), postgres.password(), true);
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            JdbcClient jdbc = JdbcClient.create(dataSource);
            long backend = jdbc.sql("SELECT pg_backend_pid()").query(Long.class).single();
            DataSourceTransactionManager spring = new DataSourceTransactionManager(dataSource);
            TransactionTemplate transactions = new TransactionTemplate(spring);
            SpringTransactionManager axonTransactions = new SpringTransactionManager(spring);
            JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
            PersistenceExceptionResolver resolver = new JdbcSQLErrorCodesResolver();
            LedgerEventStorageEngine on = engine(dataSource, axonTransactions, serializer, resolver, true);
            LedgerEventStorageEngine off = engine(dataSource, axonTransactions, serializer, resolver, false);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();

            long[] nanos = new long[2];
            long[] javaNanos = new long[2];
            long[] events = new long[2];
            for (int round = 0; round < ROUNDS + 1; round++) {
                for (int which = 0; which < 2; which++) {
                    LedgerEventStorageEngine engine = which == 0 ? on : off;
                    String prefix = (which == 0 ? "On" : "Off") + round;
                    List<List<DomainEventMessage<?>>> batches = new ArrayList<>();
                    for (int b = 0; b < BATCHES_PER_ROUND; b++) {
                        batches.add(batch(jdbc, prefix, b));
                    }
                    long java = threads.getCurrentThreadCpuTime();
                    long cpu = java + backendCpuNanos(backend);
                    for (List<DomainEventMessage<?>> batch : batches) {
                        transactions.executeWithoutResult(tx -> engine.appendEvents(batch));
                    }
                    long javaUsed = threads.getCurrentThreadCpuTime() - java;
                    long used = javaUsed + backendCpuNanos(backend) - (cpu - java);
                    if (round > 0) {    // round 0 warms up both
                        nanos[which] += used;
                        javaNanos[which] += javaUsed;
                        events[which] += (long) BATCH * BATCHES_PER_ROUND;
                    }
                }
            }
            double onMicros = nanos[0] / 1000.0 / events[0];
            double offMicros = nanos[1] / 1000.0 / events[1];
            double onJava = javaNanos[0] / 1000.0 / events[0];
            double offJava = javaNanos[1] / 1000.0 / events[1];
            System.out.printf("AuditChainCost: %d events each way, %d per batch; CPU per event (this thread + its "
                            + "PostgreSQL backend): chain on %.1f us (Java %.1f), chain off %.1f us (Java %.1f), the chain "
                            + "%.1f us (Java %.1f, PostgreSQL %.1f)%n",
                    events[0], BATCH, onMicros, onJava, offMicros, offJava, onMicros - offMicros, onJava - offJava,
                    (onMicros - onJava) - (offMicros - offJava));
            dataSource.destroy();
        }
    }

    /** A batch: receipts written first (as the intake claims them), then 64 events naming them. */
    static List<DomainEventMessage<?>> batch(JdbcClient jdbc, String prefix, int b) throws Exception {
        String name = prefix + "-" + b;
        List<DomainEventMessage<?>> events = new ArrayList<>();
        List<String> receipts = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            UUID receipt = UUID.randomUUID();
            byte[] body = ("{\"webhook_type\":\"bank_slip.status_change\",\"key\":\"" + name + "-" + i
                    + "\",\"status\":\"paid\",\"data\":{\"paid_amount\":551.5}}").getBytes(StandardCharsets.UTF_8);
            jdbc.sql("INSERT INTO receipt (receipt_id, body_sha256, body, content_type, webhook_type, received_at, "
                            + "outcome, attempts, last_attempt_at) VALUES (:id, :sha, :body, 'application/json', "
                            + "'bank_slip.status_change', now(), 'applied', 1, now())")
                    .param("id", receipt).param("sha", MessageDigest.getInstance("SHA-256").digest(body))
                    .param("body", body).update();
            receipts.add(receipt.toString());
        }
        for (int i = 0; i < BATCH; i++) {
            // every fourth event is the second of a stream the batch before began (a payment after a
            // registration): its previous link is read from the chain
            boolean second = i % 4 == 3 && b > 0;
            String stream = "BankSlip:" + (second ? prefix + "-" + (b - 1) + "-" + (i - 1) : name + "-" + i);
            long seq = second ? 1 : 0;
            String payload = "{\"bank_slip_key\":\"" + name + "-" + i + "\",\"paid_amount\":551.50,\"occurred_at\":"
                    + "\"2023-01-10T17:08:46Z\",\"facts\":{\"our_number\":\"69993012\",\"payment_bank\":\"329\"}}";
            events.add(new GenericDomainEventMessage<>("BankSlip", stream, seq, payload,
                    MetaData.from(Map.of("receiptId", receipts.get(i)))));
        }
        return events;
    }

    static LedgerEventStorageEngine engine(SingleConnectionDataSource dataSource, SpringTransactionManager transactions,
                                           JacksonSerializer serializer, PersistenceExceptionResolver resolver,
                                           boolean chain) {
        return new LedgerEventStorageEngine(JdbcEventStorageEngine.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .transactionManager(transactions)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .persistenceExceptionResolver(resolver), transactions, chain);
    }

    static long backendCpuNanos(long pid) throws Exception {
        String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
        long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
        return ticks * 1_000_000_000L / 100;
    }
}
