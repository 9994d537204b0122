package com.qiledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.NoOpEventUpcaster;
import org.junit.jupiter.api.Test;

/**
 * {@link WrittenEvents}: an event read back as it was written comes with the written objects and
 * everything else Axon's own read would give it; anything else is left to Axon's read.
 */
class WrittenEventsTest {

    /** A payload with the kinds of values the ledger's events hold. */
    record Paid(String key, BigDecimal amount, LocalDate date, Instant at, List<String> notes) {
    }

    static final Serializer SERIALIZER = JacksonSerializer.builder()
            .objectMapper(new AxonConfig().defaultAxonObjectMapper()).build();

    static final Paid PAID = new Paid("slip-1", new BigDecimal("10.50"), LocalDate.of(2026, 12, 7),
            Instant.parse("2026-12-07T15:00:00.123456Z"), List.of("a", "b"));

    static GenericDomainEventMessage<Paid> message(Paid payload) {
        return new GenericDomainEventMessage<>("BankSlip", "BankSlip:slip-1", 3L, payload,
                MetaData.with("receiptId", "r-1"));
    }

    static WrittenEvents.Written written(GenericDomainEventMessage<?> event) {
        SerializedObject<byte[]> payload = event.serializePayload(SERIALIZER, byte[].class);
        return new WrittenEvents.Written(payload.getType(), event.getPayload(), payload.getData(), event.getMetaData(),
                event.serializeMetaData(SERIALIZER, byte[].class).getData());
    }

    /** The row as the store reads it: the given bytes, the event's other columns. */
    static TrackedEventData<byte[]> stored(GenericDomainEventMessage<?> event, byte[] payload, String revision,
                                           byte[] metaData) {
        SerializedObject<byte[]> serialized = event.serializePayload(SERIALIZER, byte[].class);
        return new TrackedDomainEventData<>(new GlobalSequenceTrackingToken(41),
                new GenericDomainEventEntry<>(event.getType(), event.getAggregateIdentifier(),
                        event.getSequenceNumber(), event.getIdentifier(), event.getTimestamp().toString(),
                        serialized.getType().getName(), revision, payload, metaData));
    }

    static TrackedEventData<byte[]> stored(GenericDomainEventMessage<?> event) {
        return stored(event, event.serializePayload(SERIALIZER, byte[].class).getData(),
                event.serializePayload(SERIALIZER, byte[].class).getType().getRevision(),
                event.serializeMetaData(SERIALIZER, byte[].class).getData());
    }

    @Test
    void anEventReadBackAsWrittenComesWithTheWrittenObjectsAndAsAxonWouldReadIt() {
        WrittenEvents events = new WrittenEvents(8, true);
        GenericDomainEventMessage<Paid> event = message(PAID);
        events.put(event.getIdentifier(), written(event));
        TrackedEventData<byte[]> row = stored(event);

        TrackedEventMessage<?> handed = events.handOver(row, SERIALIZER);
        TrackedEventMessage<?> axons = EventUtils.upcastAndDeserializeTrackedEvents(Stream.of(row), SERIALIZER,
                NoOpEventUpcaster.INSTANCE).findFirst().orElseThrow();

        assertThat(handed).isNotNull();
        assertThat(handed.getPayload()).isSameAs(event.getPayload()).isEqualTo(axons.getPayload());
        assertThat(handed.getMetaData()).isSameAs(event.getMetaData()).isEqualTo(axons.getMetaData());
        assertThat(handed.getPayloadType()).isEqualTo(axons.getPayloadType());
        assertThat(handed.getIdentifier()).isEqualTo(axons.getIdentifier());
        assertThat(handed.getTimestamp()).isEqualTo(axons.getTimestamp());
        assertThat(handed.trackingToken()).isEqualTo(axons.trackingToken());
        assertThat(handed).isInstanceOf(org.axonframework.eventhandling.DomainEventMessage.class);
        var domain = (org.axonframework.eventhandling.DomainEventMessage<?>) handed;
        var axonsDomain = (org.axonframework.eventhandling.DomainEventMessage<?>) axons;
        assertThat(domain.getType()).isEqualTo(axonsDomain.getType());
        assertThat(domain.getAggregateIdentifier()).isEqualTo(axonsDomain.getAggregateIdentifier());
        assertThat(domain.getSequenceNumber()).isEqualTo(axonsDomain.getSequenceNumber());
        assertThat(events.handedOver()).isEqualTo(1);
    }

    @Test
    void anEventIsHandedOverOnceAndThenReadAsAxonReadsIt() {
        WrittenEvents events = new WrittenEvents(8, false);
        GenericDomainEventMessage<Paid> event = message(PAID);
        events.put(event.getIdentifier(), written(event));

        assertThat(events.handOver(stored(event), SERIALIZER)).isNotNull();
        assertThat(events.handOver(stored(event), SERIALIZER)).isNull();
        assertThat(events.size()).isZero();
    }

    @Test
    void storedBytesOtherThanThoseWrittenAreNeverHandedOver() {
        GenericDomainEventMessage<Paid> event = message(PAID);
        byte[] payload = event.serializePayload(SERIALIZER, byte[].class).getData();
        String revision = event.serializePayload(SERIALIZER, byte[].class).getType().getRevision();
        byte[] metaData = event.serializeMetaData(SERIALIZER, byte[].class).getData();
        byte[] otherPayload = message(new Paid("slip-1", new BigDecimal("10.5"), PAID.date(), PAID.at(),
                PAID.notes())).serializePayload(SERIALIZER, byte[].class).getData();
        byte[] otherMetaData = SERIALIZER.serialize(MetaData.with("receiptId", "r-2"), byte[].class).getData();

        for (TrackedEventData<byte[]> row : List.of(stored(event, otherPayload, revision, metaData),
                stored(event, payload, revision, otherMetaData), stored(event, payload, "2", metaData))) {
            WrittenEvents events = new WrittenEvents(8, false);
            events.put(event.getIdentifier(), written(event));
            assertThat(events.handOver(row, SERIALIZER)).isNull();
        }
        WrittenEvents events = new WrittenEvents(8, false);
        assertThat(events.handOver(stored(event), SERIALIZER)).as("never written here").isNull();
        assertThat(events.handedOver()).isZero();
    }

    @Test
    void theOldestIsForgottenWhenFull() {
        WrittenEvents events = new WrittenEvents(2, false);
        List<GenericDomainEventMessage<Paid>> written = List.of(message(PAID), message(PAID), message(PAID));
        written.forEach(e -> events.put(e.getIdentifier(), written(e)));

        assertThat(events.size()).isEqualTo(2);
        assertThat(events.handOver(stored(written.get(0)), SERIALIZER)).isNull();
        assertThat(events.handOver(stored(written.get(1)), SERIALIZER)).isNotNull();
        assertThat(events.handOver(stored(written.get(2)), SERIALIZER)).isNotNull();
    }

    /**
     * An object whose JSON reads back as another value (here: the written object holds 10.5, its bytes
     * say 10.50, as a payload whose serializer dropped or changed something would) is handed over
     * unchecked, and refused, naming the event, when checked.
     */
    @Test
    void theCheckRefusesAnEventThatDoesNotReadBackEqual() {
        GenericDomainEventMessage<Paid> event = message(PAID);
        WrittenEvents.Written asWritten = written(event);
        WrittenEvents.Written drifted = new WrittenEvents.Written(asWritten.type(),
                new Paid("slip-1", new BigDecimal("10.5"), PAID.date(), PAID.at(), PAID.notes()),
                asWritten.payloadBytes(), asWritten.metaData(), asWritten.metaDataBytes());

        WrittenEvents unchecked = new WrittenEvents(8, false);
        unchecked.put(event.getIdentifier(), drifted);
        assertThat(unchecked.handOver(stored(event), SERIALIZER)).isNotNull();

        WrittenEvents checked = new WrittenEvents(8, true);
        checked.put(event.getIdentifier(), drifted);
        assertThatThrownBy(() -> checked.handOver(stored(event), SERIALIZER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(event.getIdentifier())
                .hasMessageContaining(Paid.class.getName());

        WrittenEvents metaDataDrift = new WrittenEvents(8, true);
        metaDataDrift.put(event.getIdentifier(), new WrittenEvents.Written(asWritten.type(),
                asWritten.payload(), asWritten.payloadBytes(),
                MetaData.from(Map.of("receiptId", "r-2")), asWritten.metaDataBytes()));
        assertThatThrownBy(() -> metaDataDrift.handOver(stored(event), SERIALIZER))
                .isInstanceOf(IllegalStateException.class);
    }
}
