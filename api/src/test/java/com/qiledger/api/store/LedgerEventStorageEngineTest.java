package com.qiledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qiledger.api.e2e.TestDataDirs;
import com.qiledger.embedded.EmbeddedPostgres;
import com.qiledger.query.support.Positions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import java.sql.SQLException;
import com.qiledger.api.audit.Verification;
import com.qiledger.api.audit.VerifyCommand;
import java.sql.Connection;
import java.util.Optional;
import org.axonframework.serialization.json.JacksonSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The event store without snapshot reads and without the always-empty last read: every stream
 * still loads whole and in order, at, below and above Axon's read batch, and a snapshot row (which
 * the ledger never writes) is ignored, on a real PostgreSQL with the service's migrations. A
 * tracking read records each event's own global index, so a projection handling an event that
 * filled a gap knows its position without a query.
 */
class LedgerEventStorageEngineTest {

    private static final int BATCH = 100;
    private static EmbeddedPostgres postgres;
    private static DriverManagerDataSource dataSource;
    private final AtomicInteger connections = new AtomicInteger();
    private LedgerEventStorageEngine engine;
    private EmbeddedEventStore store;

    @BeforeAll
    static void startDatabase() {
        Path data = TestDataDirs.create("storage-engine");
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-test-postgres-bin");
        postgres = EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(data).withBinariesDir(binaries)
                .withFsync(false).withStartTimeout(Duration.ofSeconds(60)));
        dataSource = new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(), postgres.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    @AfterAll
    static void stopDatabase() {
        postgres.close();
    }

    @BeforeEach
    void newEngine() {
        ConnectionProvider counted = () -> {
            connections.incrementAndGet();
            return new DataSourceConnectionProvider(dataSource).getConnection();
        };
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        engine = new LedgerEventStorageEngine(JdbcEventStorageEngine.builder()
                .connectionProvider(counted)
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .persistenceExceptionResolver(new JdbcSQLErrorCodesResolver())
                .batchSize(BATCH), NoTransactionManager.INSTANCE, true);
        store = EmbeddedEventStore.builder().storageEngine(engine).build();
    }

    @AfterEach
    void stopStore() {
        store.shutDown();
    }

    @Test
    void streamsLoadWholeAndInOrderAroundTheReadBatch() {
        for (int size : new int[] {1, BATCH - 1, BATCH, BATCH + 1, 2 * BATCH, 250}) {
            String aggregate = "Test:size-" + size;
            append(aggregate, size);
            connections.set(0);
            List<Long> sequences = new ArrayList<>();
            store.readEvents(aggregate).asStream().forEach(e -> sequences.add(e.getSequenceNumber()));
            assertThat(sequences).as("stream of %d events", size).hasSize(size);
            for (int i = 0; i < size; i++) {
                assertThat(sequences.get(i)).isEqualTo(i);
            }
            // one query per window of BATCH sequence numbers, plus one when the last window is full
            int expected = size / BATCH + 1;
            assertThat(connections.get()).as("queries for %d events", size).isEqualTo(expected);
        }
    }

    @Test
    void aNewStreamCostsOneQueryAndNoSnapshotRead() {
        connections.set(0);
        assertThat(store.readEvents("Test:never-written").asStream()).isEmpty();
        assertThat(connections.get()).isEqualTo(1);
        assertThat(store.lastSequenceNumberFor("Test:never-written")).isEmpty();
    }

    @Test
    void aSnapshotRowIsIgnoredAndTheWholeStreamIsRead() {
        String aggregate = "Test:with-snapshot";
        append(aggregate, 5);
        engine.storeSnapshot(new GenericDomainEventMessage<>("Test", aggregate, 3, "snapshot"));
        assertThat(engine.readSnapshot(aggregate)).isEmpty();
        assertThat(store.readEvents(aggregate).asStream().map(e -> (Object) e.getPayload()))
                .containsExactly("event-0", "event-1", "event-2", "event-3", "event-4");
    }

    @Test
    void aTrackingReadRecordsEachEventsOwnPositionEvenWhenItFillsAGap() {
        String aggregate = "Test:gap-" + System.nanoTime();
        append(aggregate, 3);
        long first = JdbcClient.create(dataSource)
                .sql("SELECT min(globalindex) FROM domainevententry WHERE aggregateidentifier = :id")
                .param("id", aggregate).query(Long.class).single();
        // a token that has seen first + 2 but not first + 1 (its transaction committed late)
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(first + 2, Set.of(first + 1));
        List<TrackedEventMessage<?>> read = new ArrayList<>();
        store.openStream(token).asStream().limit(1).forEach(read::add);

        assertThat(read).hasSize(1);
        TrackedEventMessage<?> late = read.get(0);
        assertThat((Object) late.getPayload()).isEqualTo("event-1");
        // the token still stands at the highest index seen; the event's own position is the gap's
        assertThat(late.trackingToken().position()).hasValue(first + 2);
        JdbcClient noQueries = JdbcClient.create(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none"));
        assertThat(Positions.of(late, late.trackingToken(), noQueries)).isEqualTo(first + 1);
    }

    @Test
    void everyAppendLinksItsEventsOnFromTheStreamsLastLink() throws Exception {
        String a = "Test:chained-a-" + System.nanoTime();
        String b = "Test:chained-b-" + System.nanoTime();
        append(a, 3);
        // one append carrying the next events of a stream and the first of another
        engine.appendEvents(List.of(new GenericDomainEventMessage<>("Test", a, 3, "event-3"),
                new GenericDomainEventMessage<>("Test", b, 0, "event-0"),
                new GenericDomainEventMessage<>("Test", a, 4, "event-4"),
                new GenericDomainEventMessage<>("Test", b, 1, "event-1")));
        JdbcClient jdbc = JdbcClient.create(dataSource);
        assertThat(jdbc.sql("SELECT seq FROM audit_chain WHERE aggregate_id = :a ORDER BY seq").param("a", a)
                .query(Long.class).list()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_chain WHERE aggregate_id = :b").param("b", b)
                .query(Long.class).single()).isEqualTo(2);
        try (Connection c = dataSource.getConnection()) {
            Verification v = VerifyCommand.verify(c, Optional.empty(), Optional.empty());
            assertThat(v.breaks()).filteredOn(broken -> ("Test:" + broken.key()).equals(a) || ("Test:" + broken.key()).equals(b))
                    .isEmpty();
            assertThat(v.links()).isGreaterThanOrEqualTo(7);
        }
    }

    @Test
    void aLinkWrittenFirstByAnotherWriterIsAConflictAsASequenceTakenInTheEventStore() {
        String a = "Test:raced-" + System.nanoTime();
        append(a, 2);
        // another node's link for sequence 2 got there first
        JdbcClient.create(dataSource).sql("""
                        INSERT INTO audit_chain (aggregate_id, seq, global_index, event_id, payload_sha256, hash)
                        VALUES (:a, 2, 0, 'other', sha256(''::bytea), sha256(''::bytea))""")
                .param("a", a).update();
        // reported as Axon reports a sequence taken in the event store, which the intake retries
        assertThatThrownBy(() -> engine.appendEvents(List.of(new GenericDomainEventMessage<>("Test", a, 2, "event-2"))))
                .isInstanceOf(EventStoreException.class).hasMessageContaining("was already inserted")
                .rootCause().isInstanceOf(SQLException.class).hasMessageContaining("audit_chain_pkey")
                .matches(e -> "23505".equals(((SQLException) e).getSQLState()));
    }

    @Test
    void anAppendIsOneStatementAndASequenceTakenFailsItWholeAsAConflict() {
        String a = "Test:multi-" + System.nanoTime();
        String b = "Test:multi-other-" + System.nanoTime();
        append(a, 2);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        // b's first event and a's taken sequence 1 in one append: nothing of it is written
        assertThatThrownBy(() -> engine.appendEvents(List.of(new GenericDomainEventMessage<>("Test", b, 0, "event-0"),
                        new GenericDomainEventMessage<>("Test", a, 1, "event-1-again"))))
                // described from the append's first event, as Axon's own batch was
                .isInstanceOf(EventStoreException.class).hasMessageContaining("Cannot reuse aggregate identifier")
                .hasMessageContaining("(" + a + ", 1) already exists")
                .rootCause().matches(e -> "23505".equals(((SQLException) e).getSQLState()));
        assertThat(jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = :b").param("b", b)
                .query(Long.class).single()).isZero();
        // the statement is one INSERT of the events as columns, returning their positions in the events' order
        try (Connection c = dataSource.getConnection()) {
            var statement = LedgerEventStorageEngine.multiRowInsert(c, new org.axonframework.eventsourcing.eventstore.jdbc
                            .EventSchema(), List.of(new GenericDomainEventMessage<>("Test", b, 0, "x"),
                            new GenericDomainEventMessage<>("Test", b, 1, "y")), JacksonSerializer.defaultSerializer(),
                    java.time.Instant::toString);
            assertThat(statement.toString()).containsOnlyOnce("INSERT INTO DomainEventEntry").contains("FROM unnest(")
                    .contains("RETURNING eventIdentifier, globalIndex");
            List<Long> positions = new ArrayList<>();
            try (var rs = statement.executeQuery()) {
                while (rs.next()) {
                    positions.add(rs.getLong(2));
                }
            }
            assertThat(positions).hasSize(2).isEqualTo(jdbc.sql("""
                    SELECT globalindex FROM domainevententry WHERE aggregateidentifier = :b ORDER BY sequencenumber""")
                    .param("b", b).query(Long.class).list());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(store.readEvents(b).asStream().map(e -> (Object) e.getPayload())).containsExactly("x", "y");
    }

    private void append(String aggregate, int count) {
        List<DomainEventMessage<?>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new GenericDomainEventMessage<>("Test", aggregate, i, "event-" + i));
        }
        engine.appendEvents(events);
    }
}
