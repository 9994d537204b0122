package com.qiledger.api.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.command.messages.common.LedgerMetaData;
import com.qiledger.query.support.EventJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The audit history, read from the event store itself (issue 20): an entity's events, and the events
 * one delivery caused, as Axon reads them (upcast, deserialised), each with its position. Nothing
 * derived sits between an auditor and the store, so a history is complete the moment its delivery is
 * acknowledged, and there is no history projection to fall behind, stall or rebuild. It used to be a
 * projection ({@code event_history}, dropped by V22) that wrote every event a second time with three
 * indexes and a jsonb copy: 0.12 ms of PostgreSQL per event on the write path.
 */
@Component
public class EventHistory {

    private final EventStorageEngine store;
    private final JdbcClient jdbc;

    public EventHistory(EventStorageEngine store, JdbcClient jdbc) {
        this.store = store;
        this.jdbc = jdbc;
    }

    /** Every event of one entity, oldest first; none when the ledger has never heard of it. */
    public EntityHistory of(String aggregateType, String key) {
        List<TrackedEventMessage<?>> events = positioned(List.of(AggregateIds.of(aggregateType, key)));
        List<JsonNode> data = shownAsStored(events);
        List<HistoryEntry> entries = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            DomainEventMessage<?> event = (DomainEventMessage<?>) events.get(i);
            Object receipt = event.getMetaData().get(LedgerMetaData.RECEIPT_ID);
            entries.add(new HistoryEntry(position(events.get(i)), event.getSequenceNumber(), typeOf(event),
                    event.getIdentifier(), recordedAt(event), effectiveAt(event),
                    receipt == null ? null : receipt.toString(), data.get(i)));
        }
        entries.sort(Comparator.comparingLong(HistoryEntry::sequence));
        return new EntityHistory(aggregateType, key, entries);
    }

    /**
     * The events one delivery caused, in the order they were stored. The hash chain names each event's
     * receipt ({@code audit_chain.receipt_id}, indexed by V22); with {@code ledger.audit.chain=false},
     * for benchmarks only, there are no links and this is empty.
     */
    public List<ReceiptEvent> ofReceipt(UUID receipt) {
        Set<String> streams = new java.util.LinkedHashSet<>();
        Set<Long> wanted = new java.util.HashSet<>();
        jdbc.sql("SELECT aggregate_id, global_index FROM audit_chain WHERE receipt_id = :receipt")
                .param("receipt", receipt.toString())
                .query(rs -> {
                    streams.add(rs.getString(1));
                    wanted.add(rs.getLong(2));
                });
        if (streams.isEmpty()) {
            return List.of();
        }
        List<ReceiptEvent> caused = new ArrayList<>();
        for (TrackedEventMessage<?> tracked : positioned(streams)) {
            if (wanted.contains(position(tracked))) {
                DomainEventMessage<?> event = (DomainEventMessage<?>) tracked;
                caused.add(new ReceiptEvent(position(tracked), event.getType(),
                        AggregateIds.keyOf(event.getAggregateIdentifier()), event.getSequenceNumber(),
                        typeOf(event), event.getIdentifier(), recordedAt(event), effectiveAt(event)));
            }
        }
        return caused;
    }

    /**
     * The streams' events as the store holds them, in global order, each carrying its position (the
     * store's global index) as its tracking token.
     */
    public List<TrackedEventMessage<?>> positioned(Collection<String> streams) {
        Map<String, Long> positions = jdbc.sql("SELECT eventidentifier, globalindex FROM domainevententry "
                        + "WHERE aggregateidentifier IN (:streams)")
                .param("streams", List.copyOf(streams))
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        List<TrackedEventMessage<?>> events = new ArrayList<>();
        for (String stream : streams) {
            store.readEvents(stream).asStream().forEach(message -> {
                Long position = positions.get(message.getIdentifier());
                if (position != null) {
                    events.add(new GenericTrackedDomainEventMessage<>(new GlobalSequenceTrackingToken(position),
                            message));
                }
            });
        }
        events.sort(Comparator.comparingLong(EventHistory::position));
        return events;
    }

    /** When the ledger recorded the event: its own recorded time, or the message's for older events. */
    public static Instant recordedAt(DomainEventMessage<?> message) {
        if (message.getPayload() instanceof LedgerEvent event && event.recordedAt() != null) {
            return event.recordedAt();
        }
        return message.getTimestamp();
    }

    private static Instant effectiveAt(DomainEventMessage<?> message) {
        return message.getPayload() instanceof LedgerEvent event ? event.occurredAt() : null;
    }

    private static String typeOf(DomainEventMessage<?> message) {
        return message.getPayloadType().getSimpleName();
    }

    private static long position(TrackedEventMessage<?> event) {
        return event.trackingToken().position().orElseThrow();
    }

    /**
     * Each event's data as the history has always shown it: the read API's JSON of the event, as
     * PostgreSQL's jsonb prints it (keys ordered by length, then bytes; numbers as written), so that
     * answers stay byte for byte what they were when the history was a jsonb column. One statement
     * for the whole history.
     */
    private List<JsonNode> shownAsStored(List<TrackedEventMessage<?>> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        // Each event's text as EventJson writes it (a tree would normalise its decimals: 10.50 to 10.5).
        String all = events.stream().map(event -> EventJson.text(event.getPayload()))
                .collect(Collectors.joining(",", "[", "]"));
        return jdbc.sql("""
                        SELECT CAST(element AS text) FROM jsonb_array_elements(CAST(:all AS jsonb))
                            WITH ORDINALITY AS e(element, n)
                        ORDER BY n
                        """)
                .param("all", all)
                .query((rs, n) -> EventJson.parse(rs.getString(1)))
                .list();
    }
}
