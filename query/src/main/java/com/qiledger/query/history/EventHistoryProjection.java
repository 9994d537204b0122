package com.qiledger.query.history;

import static com.qiledger.query.support.Sql.instant;

import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.query.support.BatchableHandlers;
import com.qiledger.query.support.BatchedWrites;
import com.qiledger.query.support.EventJson;
import com.qiledger.query.support.Positions;
import java.sql.Timestamp;
import java.util.List;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit history: one row per domain event of every aggregate, keyed by its global position, so
 * a replay writes nothing twice. The receipt comes from the event's metadata, put there at intake.
 */
@Component
@BatchableHandlers
@ProcessingGroup(EventHistoryProjection.PROCESSING_GROUP)
public class EventHistoryProjection {

    public static final String PROCESSING_GROUP = "history";
    public static final String RECEIPT_METADATA_KEY = "receiptId";

    private final JdbcClient jdbc;

    public EventHistoryProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(LedgerEvent event, DomainEventMessage<?> message, TrackingToken token) {
        Object receipt = message.getMetaData().get(RECEIPT_METADATA_KEY);
        BatchedWrites.sql(jdbc, """
                        INSERT INTO event_history (position, event_id, aggregate_type, aggregate_key, sequence,
                            event_type, recorded_at, effective_at, receipt_id, data)
                        VALUES (:position, :eventId, :aggregateType, :key, :sequence, :type, :recordedAt,
                            :effectiveAt, :receipt, CAST(:data AS jsonb))
                        ON CONFLICT DO NOTHING
                        """)
                .param("position", Positions.of(message, token, jdbc))
                .param("eventId", message.getIdentifier())
                .param("aggregateType", message.getType())
                .param("key", AggregateIds.keyOf(message.getAggregateIdentifier()))
                .param("sequence", message.getSequenceNumber())
                .param("type", event.getClass().getSimpleName())
                .param("recordedAt", Timestamp.from(event.recordedAt() != null ? event.recordedAt()
                        : message.getTimestamp()))
                .param("effectiveAt", event.occurredAt() == null ? null : Timestamp.from(event.occurredAt()))
                .param("receipt", receipt == null ? null : receipt.toString())
                .param("data", EventJson.text(event))
                .update();
    }

    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE event_history").update();
    }

    @QueryHandler
    public EntityHistory handle(FindEntityHistory query) {
        List<HistoryEntry> entries = jdbc.sql("""
                        SELECT position, sequence, event_type, event_id, recorded_at, effective_at, receipt_id,
                               data::text AS data
                        FROM event_history
                        WHERE aggregate_type = :type AND aggregate_key = :key
                        ORDER BY sequence
                        """)
                .param("type", query.aggregateType())
                .param("key", query.key())
                .query((rs, n) -> new HistoryEntry(
                        rs.getLong("position"),
                        rs.getLong("sequence"),
                        rs.getString("event_type"),
                        rs.getString("event_id"),
                        instant(rs.getTimestamp("recorded_at")),
                        instant(rs.getTimestamp("effective_at")),
                        rs.getString("receipt_id"),
                        EventJson.parse(rs.getString("data"))))
                .list();
        return new EntityHistory(query.aggregateType(), query.key(), entries);
    }

    @QueryHandler
    public List<ReceiptEvent> handle(FindEventsOfReceipt query) {
        return jdbc.sql("""
                        SELECT position, aggregate_type, aggregate_key, sequence, event_type, event_id, recorded_at,
                               effective_at
                        FROM event_history
                        WHERE receipt_id = :receipt
                        ORDER BY position
                        """)
                .param("receipt", query.receiptId())
                .query((rs, n) -> new ReceiptEvent(
                        rs.getLong("position"),
                        rs.getString("aggregate_type"),
                        rs.getString("aggregate_key"),
                        rs.getLong("sequence"),
                        rs.getString("event_type"),
                        rs.getString("event_id"),
                        instant(rs.getTimestamp("recorded_at")),
                        instant(rs.getTimestamp("effective_at"))))
                .list();
    }
}
