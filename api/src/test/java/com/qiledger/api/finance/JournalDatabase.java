package com.qiledger.api.finance;

import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.embedded.EmbeddedPostgres;
import com.qiledger.query.journal.JournalProjection;
import com.qiledger.query.journal.JournalQueries;
import com.qiledger.query.journal.JournalReads;
import com.qiledger.query.support.BatchedWrites;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A real PostgreSQL with the service's migrations, the journal projection and its queries, without
 * Spring or an event store: tests fold hand-made events at positions they choose, each in a
 * transaction of its own (so the deferred balance trigger runs at each commit), as a tracking
 * processor would, or all of them in one batched run, as a rebuild lane does.
 */
final class JournalDatabase implements AutoCloseable {

    static final List<String> TABLES = List.of("journal_transaction", "journal_posting", "journal_account",
            "journal_balance", "journal_figure");

    private final EmbeddedPostgres postgres;
    private final SingleConnectionDataSource dataSource;
    final JdbcClient jdbc;
    final NamedParameterJdbcTemplate named;
    final TransactionTemplate transactions;
    final JournalProjection projection;
    final JournalQueries queries;

    private JournalDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.dataSource = new SingleConnectionDataSource(postgres.jdbcUrl(), postgres.username(),
                postgres.password(), true);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        this.jdbc = JdbcClient.create(dataSource);
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.projection = new JournalProjection(jdbc);
        this.queries = new JournalQueries(jdbc);
    }

    static JournalDatabase start(String name) {
        return new JournalDatabase(FinanceDatabase.postgres(name));
    }

    /** The event as a message of delivery {@code receipt-<position>}. */
    static EventMessage<?> message(LedgerEvent event, long position) {
        return new GenericEventMessage<>(event, Map.of("receiptId", "receipt-" + position));
    }

    /** Handles one message at its position in a transaction of its own, as a live processor does. */
    void fold(EventMessage<?> message, long position) {
        transactions.executeWithoutResult(tx -> projection.on((LedgerEvent) message.getPayload(), message,
                new GlobalSequenceTrackingToken(position)));
    }

    /** Handles the messages at positions 1, 2, ... in one batched run and one transaction, as a rebuild lane. */
    void foldBatched(List<EventMessage<?>> messages) {
        transactions.executeWithoutResult(tx -> BatchedWrites.batched(named, () -> {
            for (int i = 0; i < messages.size(); i++) {
                EventMessage<?> m = messages.get(i);
                projection.on((LedgerEvent) m.getPayload(), m, new GlobalSequenceTrackingToken(i + 1));
            }
        }));
    }

    /**
     * Handles the messages at positions 1, 2, ... in batches of {@code size}, each in one transaction, one
     * Axon batching unit of work and one queued run of writes sent at the end, as a live tracking processor
     * with {@code BatchedProjectionWrites} does (the figures of a batch's entities are then read at once).
     */
    void foldLiveBatches(List<EventMessage<?>> messages, int size) {
        for (int from = 0; from < messages.size(); from += size) {
            int first = from;
            List<EventMessage<?>> chunk = messages.subList(from, Math.min(messages.size(), from + size));
            transactions.executeWithoutResult(tx -> {
                BatchedWrites.Run run = BatchedWrites.open(named);
                try {
                    BatchingUnitOfWork<EventMessage<?>> batch = new BatchingUnitOfWork<>(chunk);
                    var result = batch.executeWithResult(() -> {
                        EventMessage<?> m = batch.getMessage();
                        projection.on((LedgerEvent) m.getPayload(), m,
                                new GlobalSequenceTrackingToken(first + chunk.indexOf(m) + 1));
                        return null;
                    });
                    if (result.isExceptional()) {
                        throw new IllegalStateException(result.exceptionResult());
                    }
                    run.flush();
                } finally {
                    run.close();
                }
            });
        }
    }

    void reset() {
        transactions.executeWithoutResult(tx -> projection.reset());
    }

    /** Every row of every journal table as JSON text, in a fixed order: the journal byte for byte. */
    Map<String, List<String>> tables() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String table : TABLES) {
            rows.put(table, jdbc.sql("SELECT to_jsonb(t)::text FROM " + table + " t ORDER BY 1")
                    .query(String.class).list());
        }
        return rows;
    }

    JournalReads.TrialBalance trialBalance(String asOf) {
        return queries.trialBalance(new JournalReads.FindTrialBalance(LocalDate.parse(asOf)));
    }

    @Override
    public void close() {
        dataSource.destroy();
        postgres.close();
    }
}
