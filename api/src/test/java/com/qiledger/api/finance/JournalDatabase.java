package com.qiledger.api.finance;

import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.embedded.EmbeddedPostgres;
import com.qiledger.query.journal.JournalEntries;
import com.qiledger.query.journal.JournalProjection;
import com.qiledger.query.journal.JournalQueries;
import com.qiledger.query.journal.JournalReads;
import com.qiledger.query.support.BatchedWrites;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
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

    /**
     * The messages as the event store gives them: each a domain event of its entity's stream (named here
     * by the entity and its key, the key as the command side's {@code AggregateIds} puts it) with the
     * next sequence number of that stream, so the projection can tell an entity's first event.
     */
    static List<EventMessage<?>> asStored(List<EventMessage<?>> messages) {
        Map<String, Long> sequences = new HashMap<>();
        List<EventMessage<?>> stored = new ArrayList<>();
        for (EventMessage<?> m : messages) {
            JournalEntries.EntityRef entity = JournalEntries.entityOf((LedgerEvent) m.getPayload()).orElseThrow();
            String aggregateId = AggregateIds.of(entity.entity(), entity.key());
            long sequence = sequences.merge(aggregateId, 1L, Long::sum) - 1;
            stored.add(new GenericDomainEventMessage<>(entity.entity(), aggregateId, sequence, m.getPayload(),
                    m.getMetaData(), m.getIdentifier(), m.getTimestamp()));
        }
        return stored;
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
        foldLiveBatches(messages, size, 1);
    }

    /** {@link #foldLiveBatches(List, int)} with the first message at {@code position}. */
    void foldLiveBatches(List<EventMessage<?>> messages, int size, long position) {
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
                                new GlobalSequenceTrackingToken(position + first + chunk.indexOf(m)));
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
