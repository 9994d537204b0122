package com.qiledger.api.store;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.axonframework.eventhandling.DomainEventData;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.LazyDeserializingObject;
import org.axonframework.serialization.SerializedMessage;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;

/**
 * The events this node has just written, each with its payload and metadata objects and the bytes
 * they were stored as, kept until the store's read-ahead reads them back for the projections (issue
 * 20): a read event whose stored payload and metadata are byte for byte what was written is handed
 * over with the objects the aggregate applied, instead of being parsed again. Deserializing every
 * event was 5.6 % of the service's CPU samples under load (JFR, execution samples only; in the
 * bank-slip, journal and money-movement processors), and the processors' threads now spend 8 to 16 µs
 * less per webhook (docs/benchmarks.md); the bytes the handlers would have read are exactly those, and the
 * events are immutable records whose JSON reads back equal ({@code WrittenEventsTest}; with
 * {@code check} on, every handover is proved against the stored bytes as it happens, which the
 * test profile does for the whole suite).
 *
 * <p>Bounded: at most {@code capacity} events, the oldest forgotten first, and each is forgotten when
 * taken (the read-ahead reads an event once for all caught-up processors; a processor reading the store
 * itself, behind the read-ahead or after a restart, or another node, parses it as before). An event of a
 * transaction that rolled back is never read, and its slot is taken by newer ones; its identifier is
 * never reused.
 */
final class WrittenEvents {

    /** What one appended event was: its payload's type and revision, its objects and their stored bytes. */
    record Written(SerializedType type, Object payload, byte[] payloadBytes, MetaData metaData,
                   byte[] metaDataBytes) {
    }

    private final ConcurrentHashMap<String, Written> byIdentifier;
    private final String[] ring;
    private final boolean check;
    private int next;
    private final LongAdder handedOver = new LongAdder();

    /**
     * @param capacity the most events kept
     * @param check    whether each handover is first compared with the event read from its stored bytes
     *                 (a mismatch fails the read, naming the event)
     */
    WrittenEvents(int capacity, boolean check) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.byIdentifier = new ConcurrentHashMap<>(capacity * 2);
        this.ring = new String[capacity];
        this.check = check;
    }

    /**
     * Keeps an event just written, forgetting the oldest kept when full. The ring and the map change
     * together (under the ring's lock), so the map never holds more than {@code capacity} events.
     */
    void put(String identifier, Written written) {
        synchronized (ring) {
            String oldest = ring[next];
            if (oldest != null) {
                byIdentifier.remove(oldest);
            }
            ring[next] = identifier;
            next = next + 1 == ring.length ? 0 : next + 1;
            byIdentifier.put(identifier, written);
        }
    }

    /**
     * The tracked message for an event read from the store: with the written objects when this node
     * wrote it and its stored payload and metadata are those bytes, otherwise null (the caller reads it
     * as Axon does). Forgets the event.
     */
    TrackedEventMessage<?> handOver(TrackedEventData<?> data, Serializer serializer) {
        Written written = byIdentifier.remove(data.getEventIdentifier());
        if (written == null || !(data instanceof DomainEventData<?> domain)
                || domain.getAggregateIdentifier() == null
                || !sameBytes(data.getPayload(), written.payloadBytes())
                || !sameBytes(data.getMetaData(), written.metaDataBytes())
                || !written.type().equals(data.getPayload().getType())) {
            return null;
        }
        if (check) {
            Object read = serializer.deserialize(data.getPayload());
            Object readMetaData = serializer.deserialize(data.getMetaData());
            if (!written.payload().equals(read) || !written.metaData().equals(readMetaData)) {
                throw new IllegalStateException("Event " + data.getEventIdentifier() + " (" + written.type().getName()
                        + ") does not read back equal to the object written; handing it over would change what the"
                        + " projections see");
            }
        }
        handedOver.increment();
        return new GenericTrackedDomainEventMessage<>(data.trackingToken(), domain.getType(),
                domain.getAggregateIdentifier(), domain.getSequenceNumber(),
                new SerializedMessage<>(data.getEventIdentifier(), new LazyDeserializingObject<>(written.payload()),
                        new LazyDeserializingObject<>(written.metaData())),
                data::getTimestamp);
    }

    /** How many events were handed over so far. */
    long handedOver() {
        return handedOver.sum();
    }

    /** How many events are kept now. */
    int size() {
        return byIdentifier.size();
    }

    private static boolean sameBytes(SerializedObject<?> stored, byte[] written) {
        return stored.getData() instanceof byte[] bytes && Arrays.equals(bytes, written);
    }
}
