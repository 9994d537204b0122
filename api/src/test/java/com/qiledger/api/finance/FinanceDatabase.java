package com.qiledger.api.finance;

import com.qiledger.api.e2e.TestDataDirs;
import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.embedded.EmbeddedPostgres;
import com.qiledger.query.finance.FinanceQueries;
import com.qiledger.query.finance.FindLedgerEntries;
import com.qiledger.query.finance.FindReconciliationReport;
import com.qiledger.query.finance.LedgerEntries;
import com.qiledger.query.finance.MoneyMovementProjection;
import com.qiledger.query.finance.ReconciliationReport;
import com.qiledger.query.support.BatchedWrites;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A real PostgreSQL with the service's migrations, the finance projection and its queries, without
 * Spring or an event store: tests fold hand-made events at positions they choose, as a tracking
 * processor would, and read the answers.
 */
final class FinanceDatabase implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    final JdbcClient jdbc;
    final NamedParameterJdbcTemplate named;
    final MoneyMovementProjection projection;
    final FinanceQueries queries;
    private long position;

    private FinanceDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(),
                postgres.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        this.jdbc = JdbcClient.create(dataSource);
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.projection = new MoneyMovementProjection(jdbc);
        this.queries = new FinanceQueries(jdbc);
    }

    static FinanceDatabase start(String name) {
        return new FinanceDatabase(postgres(name));
    }

    /** A fresh embedded PostgreSQL for the tests of this package, in a data folder of that name, fsync off. */
    static EmbeddedPostgres postgres(String name) {
        Path data = TestDataDirs.create(name);
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-test-postgres-bin");
        return EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(data)
                .withBinariesDir(binaries).withFsync(false).withStartTimeout(Duration.ofSeconds(60)));
    }

    /** Folds the event at the next global position, as delivery {@code receipt}; returns the message. */
    EventMessage<?> fold(LedgerEvent event) {
        return fold(event, "receipt-" + (position + 1));
    }

    EventMessage<?> fold(LedgerEvent event, String receipt) {
        position++;
        EventMessage<?> message = new GenericEventMessage<>(event, Map.of("receiptId", receipt));
        foldAgain(message, position);
        return message;
    }

    /**
     * Folds the events at the next positions in one batched run, as a rebuild lane does: the
     * projection's writes are queued and sent in JDBC batches ({@link BatchedWrites}); {@code during}
     * runs inside the run, after the last fold, before the queue is sent.
     */
    void foldBatched(List<? extends LedgerEvent> events, Runnable during) {
        BatchedWrites.batched(named, () -> {
            events.forEach(this::fold);
            during.run();
        });
    }

    /** Handles a message at a given position again, as a processor does after a failed batch. */
    void foldAgain(EventMessage<?> message, long at) {
        projection.on((LedgerEvent) message.getPayload(), message, new GlobalSequenceTrackingToken(at));
    }

    long position() {
        return position;
    }

    void reset() {
        projection.reset();
        position = 0;
    }

    ReconciliationReport report(String from, String to) {
        return report(from, to, 2);
    }

    ReconciliationReport report(String from, String to, int unsettledAfterDays) {
        return queries.handle(new FindReconciliationReport(LocalDate.parse(from), LocalDate.parse(to),
                unsettledAfterDays));
    }

    LedgerEntries entries(String from, String to) {
        return queries.handle(new FindLedgerEntries(LocalDate.parse(from), LocalDate.parse(to)));
    }

    @Override
    public void close() {
        postgres.close();
    }
}
