package com.qiledger.api.store;

import static org.axonframework.common.jdbc.JdbcUtils.executeQuery;

import com.qiledger.api.platform.BatchedReceipts;
import com.qiledger.api.platform.BatchedStreams;
import com.qiledger.command.messages.common.LedgerMetaData;
import com.qiledger.query.support.Positions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.axonframework.common.jdbc.JdbcUtils;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

/**
 * Axon's JDBC event store with two round trips per command fewer, measured on the intake path
 * (issue 6; before/after in docs/benchmarks.md):
 * <ul>
 *   <li>No snapshot is read. The ledger configures no snapshotter (its streams are a handful of
 *       events each), so the snapshot table is always empty, yet Axon asked it before every
 *       aggregate load.</li>
 *   <li>An aggregate's stream is read until a batch comes back short, not until one comes back
 *       empty. Axon's JDBC statement reads the window {@code [first, first + batchSize)} of
 *       sequence numbers, and an aggregate's sequence numbers have no gaps (the append's unique
 *       constraint on aggregate and sequence guarantees it), so a short window is the end of the
 *       stream. Axon's default issues one more query that always returns nothing.</li>
 * </ul>
 * And one query per event fewer on the projections' side: a tracking read records each event's own
 * global index ({@link Positions#remember}) as it reads the row, so a projection does not have to
 * look it up by identifier (the gap-aware token carries the highest index seen, not the event's).
 * And on the intake's batches (issue 20), one query for every stream a batch of commands loads: the
 * intake declares the batch's aggregates on its root unit of work ({@link BatchedStreams}); the first
 * load of one of them reads all of them, in the batch's transaction, and each load then takes its
 * stream from that read (a stream the store has never seen costs no query). The read belongs to that
 * unit of work and ends with it; a second command on the same aggregate in the batch gets the
 * aggregate Axon already holds for the unit of work, never this read.
 * And each append is one multi-row insert ({@link #multiRowInsert}) instead of a JDBC batch of one
 * statement per event, which returns the events' global positions for the chain's links and the
 * receipts' rows. Everything else (tracking reads, gap handling) is Axon's own.
 */
public class LedgerEventStorageEngine extends JdbcEventStorageEngine {

    private final TransactionManager transactions;
    /** Null when {@code ledger.audit.chain=false} (benchmarks only: the verifier then reports every event). */
    private final AuditChainAppender chain;
    /** The events just written, handed back to the projections' reads; null when turned off. */
    private final WrittenEvents written;
    /** Events the tracking reads took from their stored bytes (not handed over). */
    private final LongAdder parsed = new LongAdder();

    public LedgerEventStorageEngine(JdbcEventStorageEngine.Builder builder, TransactionManager transactions,
                                    boolean chain) {
        this(builder, transactions, chain, null);
    }

    LedgerEventStorageEngine(JdbcEventStorageEngine.Builder builder, TransactionManager transactions,
                             boolean chain, WrittenEvents written) {
        super(builder);
        this.transactions = transactions;
        this.chain = chain ? new AuditChainAppender() : null;
        this.written = written;
    }

    /**
     * The append (issue 20): the events as multi-row inserts that return each event's global position,
     * then the events' hash-chain links in the same transaction (issue 21, {@link AuditChainAppender}):
     * one read and one multi-row insert per append, so a batch of deliveries costs two more
     * statements, whatever its size. When the intake declared the batch's receipts
     * ({@link BatchedReceipts}), each receipt learns the position of the newest event it caused, so
     * its row is written once, with it. A sequence taken, in the store or in the chain, is reported
     * as Axon reports a sequence conflict.
     */
    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (events.isEmpty()) {
            return;
        }
        Optional<BatchedReceipts> receipts = BatchedReceipts.declared();
        transactions.executeInTransaction(() -> {
            Connection connection = getConnection();
            try {
                Map<String, Long> positions = new HashMap<>();
                try {
                    for (int from = 0; from < events.size(); from += MULTI_ROW_LIMIT) {
                        List<? extends EventMessage<?>> rows =
                                events.subList(from, Math.min(events.size(), from + MULTI_ROW_LIMIT));
                        // what JdbcEventStorageEngine.writeTimestamp binds: Axon's text of the instant
                        try (PreparedStatement insert = multiRowInsert(connection, schema(), rows, serializer,
                                org.axonframework.common.DateTimeUtils::formatInstant);
                             ResultSet written = insert.executeQuery()) {
                            while (written.next()) {
                                positions.put(written.getString(1), written.getLong(2));
                            }
                        }
                        remember(rows, serializer);
                    }
                } catch (SQLException e) {
                    handlePersistenceException(e, events.get(0));
                    throw new EventStoreException("Failed to append " + events.size() + " events", e);
                }
                receipts.ifPresent(batch -> events.forEach(event -> {
                    Object receipt = event.getMetaData().get(LedgerMetaData.RECEIPT_ID);
                    if (receipt != null) {
                        batch.appended(receipt.toString(), positions.get(event.getIdentifier()));
                    }
                }));
                if (chain != null) {
                    try {
                        chain.append(connection, events, positions, receipts, serializer);
                    } catch (SQLException e) {
                        handlePersistenceException(e, events.get(0));
                        throw new EventStoreException("Failed to write the hash-chain links of " + events.size()
                                + " events", e);
                    }
                }
            } finally {
                JdbcUtils.closeQuietly(connection);
            }
        });
    }

    /**
     * Keeps each written event's objects and stored bytes for the projections' read of it
     * ({@link WrittenEvents}). The messages hold their serialized forms from the insert (Axon caches a
     * message's serialized payload and metadata per serializer), so nothing is serialized again.
     */
    private void remember(List<? extends EventMessage<?>> rows, Serializer serializer) {
        if (written == null) {
            return;
        }
        for (EventMessage<?> row : rows) {
            if (row instanceof DomainEventMessage<?> event) {
                SerializedObject<byte[]> payload = event.serializePayload(serializer, byte[].class);
                written.put(event.getIdentifier(), new WrittenEvents.Written(payload.getType(), event.getPayload(),
                        payload.getData(), event.getMetaData(),
                        event.serializeMetaData(serializer, byte[].class).getData()));
            }
        }
    }

    /**
     * The tracking read (the store's read-ahead for the projections, or a processor's own): an event this
     * node wrote, still kept and stored as written, comes with the objects written
     * ({@link WrittenEvents#handOver}); any other is upcast and deserialized as Axon does, one at a time
     * (the ledger has no upcaster; a chain of single-event upcasters reads each event alone anyway).
     */
    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        if (written == null) {
            return super.readEvents(trackingToken, mayBlock).peek(m -> parsed.increment());
        }
        Serializer serializer = getEventSerializer();
        return readEventData(trackingToken, mayBlock).flatMap(data -> {
            TrackedEventMessage<?> known = written.handOver(data, serializer);
            if (known != null) {
                return Stream.of(known);
            }
            parsed.increment();
            return EventUtils.upcastAndDeserializeTrackedEvents(Stream.of(data), serializer, upcasterChain);
        });
    }

    /** How many events were handed to the projections as written ({@link WrittenEvents}); 0 when turned off. */
    public long handedOverEvents() {
        return written == null ? 0 : written.handedOver();
    }

    /** How many events the tracking reads took from their stored bytes instead. */
    public long parsedEvents() {
        return parsed.sum();
    }

    /** At most this many rows per insert. */
    static final int MULTI_ROW_LIMIT = 1024;

    /**
     * Events as one {@code INSERT} returning each event's identifier and global position (issue 20),
     * instead of Axon's JDBC batch of one row per event followed by a lookup of the positions:
     * PostgreSQL runs one statement for a whole group commit's events. The rows come as one array per
     * column, read by {@code unnest} in the events' order (so their global positions follow it), not as
     * a {@code VALUES} list of nine parameters a row: one statement text whatever the batch's size, so
     * the driver prepares it once, and no row's expressions set up one by one (the projections' column
     * form, {@code MultiRowInsert}). Same columns, values and order as
     * {@code JdbcEventStorageEngineStatements.appendEvents}; a duplicate aggregate sequence fails the
     * statement with the same unique violation, which Axon's persistence-exception resolver reports as
     * a sequence conflict.
     *
     * @param timestampText the timestamp column's text of an instant, as the engine's
     *                      {@code writeTimestamp} binds it
     */
    static PreparedStatement multiRowInsert(Connection connection, EventSchema schema,
                                            List<? extends EventMessage<?>> events, Serializer serializer,
                                            java.util.function.Function<java.time.Instant, String> timestampText)
            throws SQLException {
        int n = events.size();
        String[] identifiers = new String[n];
        String[] aggregates = new String[n];
        Long[] sequences = new Long[n];
        String[] types = new String[n];
        String[] timestamps = new String[n];
        String[] payloadTypes = new String[n];
        String[] revisions = new String[n];
        byte[][] payloads = new byte[n][];
        byte[][] metaData = new byte[n][];
        for (int i = 0; i < n; i++) {
            EventMessage<?> message = events.get(i);
            org.axonframework.eventhandling.DomainEventMessage<?> event =
                    message instanceof org.axonframework.eventhandling.DomainEventMessage<?> domain ? domain
                            : new org.axonframework.eventhandling.GenericDomainEventMessage<>(null,
                                    message.getIdentifier(), 0L, message, message::getTimestamp);
            org.axonframework.serialization.SerializedObject<byte[]> payload =
                    event.serializePayload(serializer, byte[].class);
            identifiers[i] = event.getIdentifier();
            aggregates[i] = event.getAggregateIdentifier();
            sequences[i] = event.getSequenceNumber();
            types[i] = event.getType();
            timestamps[i] = timestampText.apply(event.getTimestamp());
            payloadTypes[i] = payload.getType().getName();
            revisions[i] = payload.getType().getRevision();
            payloads[i] = payload.getData();
            metaData[i] = event.serializeMetaData(serializer, byte[].class).getData();
        }
        PreparedStatement statement = connection.prepareStatement("INSERT INTO " + schema.domainEventTable() + " ("
                + schema.domainEventFields() + ")\nSELECT e.c1, e.c2, e.c3, e.c4, e.c5, e.c6, e.c7, e.c8, e.c9\n"
                + "FROM unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS BIGINT[]), CAST(? AS VARCHAR[]), "
                + "CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS BYTEA[]), "
                + "CAST(? AS BYTEA[])) WITH ORDINALITY AS e(c1, c2, c3, c4, c5, c6, c7, c8, c9, n) ORDER BY e.n\n"
                + "RETURNING " + schema.eventIdentifierColumn() + ", " + schema.globalIndexColumn());
        statement.setArray(1, connection.createArrayOf("varchar", identifiers));
        statement.setArray(2, connection.createArrayOf("varchar", aggregates));
        statement.setArray(3, connection.createArrayOf("int8", sequences));
        statement.setArray(4, connection.createArrayOf("varchar", types));
        statement.setArray(5, connection.createArrayOf("varchar", timestamps));
        statement.setArray(6, connection.createArrayOf("varchar", payloadTypes));
        statement.setArray(7, connection.createArrayOf("varchar", revisions));
        statement.setArray(8, connection.createArrayOf("bytea", payloads));
        statement.setArray(9, connection.createArrayOf("bytea", metaData));
        return statement;
    }

    @Override
    protected Stream<? extends DomainEventData<?>> readSnapshotData(String aggregateIdentifier) {
        return Stream.empty();
    }

    @Override
    protected TrackedEventData<?> getTrackedEventData(ResultSet resultSet, GapAwareTrackingToken previousToken)
            throws SQLException {
        TrackedEventData<?> data = super.getTrackedEventData(resultSet, previousToken);
        Positions.remember(data.getEventIdentifier(), resultSet.getLong(schema().globalIndexColumn()));
        return data;
    }

    @Override
    protected List<? extends DomainEventData<?>> fetchDomainEvents(String aggregateIdentifier, long firstSequenceNumber,
                                                                   int batchSize) {
        Optional<Set<String>> declared = BatchedStreams.declared();
        if (declared.isEmpty() || !declared.get().contains(aggregateIdentifier)) {
            return super.fetchDomainEvents(aggregateIdentifier, firstSequenceNumber, batchSize);
        }
        // not getOrComputeResource: the read itself puts the connection among the unit's resources
        Map<String, List<DomainEventData<?>>> streams = CurrentUnitOfWork.get().root().getResource(PREFETCHED);
        if (streams == null) {
            streams = readAll(declared.get());
            CurrentUnitOfWork.get().root().resources().put(PREFETCHED, streams);
        }
        return streams.getOrDefault(aggregateIdentifier, List.of()).stream()
                .filter(e -> e.getSequenceNumber() >= firstSequenceNumber
                        && e.getSequenceNumber() < firstSequenceNumber + batchSize)
                .toList();
    }

    private static final String PREFETCHED = LedgerEventStorageEngine.class.getName() + ".prefetched";

    /** Every event of the given streams, in one query, by stream in sequence order. */
    private Map<String, List<DomainEventData<?>>> readAll(Set<String> aggregateIds) {
        EventSchema schema = schema();
        String sql = "SELECT " + schema.domainEventFields() + " FROM " + schema.domainEventTable()
                + " WHERE " + schema.aggregateIdentifierColumn() + " = ANY(?)"
                + " ORDER BY " + schema.aggregateIdentifierColumn() + ", " + schema.sequenceNumberColumn();
        return executeQuery(getConnection(), connection -> {
            PreparedStatement statement = connection.prepareStatement(sql);
            statement.setArray(1, connection.createArrayOf("varchar", aggregateIds.toArray()));
            return statement;
        }, resultSet -> {
            Map<String, List<DomainEventData<?>>> streams = new HashMap<>();
            while (resultSet.next()) {
                DomainEventData<?> event = getDomainEventData(resultSet);
                streams.computeIfAbsent(event.getAggregateIdentifier(), id -> new ArrayList<>()).add(event);
            }
            return streams;
        }, e -> new EventStoreException("Failed to read the events of a batch's " + aggregateIds.size()
                + " aggregates", e));
    }

    @Override
    protected boolean fetchForAggregateUntilEmpty() {
        return false;
    }
}
