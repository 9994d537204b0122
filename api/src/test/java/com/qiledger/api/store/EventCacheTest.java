package com.qiledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.Test;

/**
 * The event store's read-ahead keeps only the newest {@code ledger.projections.cached-events} events
 * (2,000 since issue 20, Axon's default 10,000): a processor that falls further behind than that still
 * gets every event, in order, once each (it reads the store itself until it is back within the cache).
 */
class EventCacheTest {

    @Test
    void aConsumerFurtherBehindThanTheCacheStillGetsEveryEventInOrder() throws Exception {
        EmbeddedEventStore store = new LingeringEventStore(EmbeddedEventStore.builder()
                .storageEngine(new InMemoryEventStorageEngine())
                .cachedEvents(5)
                .fetchDelay(10), Duration.ZERO);
        try {
            List<String> read = new ArrayList<>();
            publish(store, 0, 3);
            try (BlockingStream<TrackedEventMessage<?>> behind = store.openStream(null);
                 BlockingStream<TrackedEventMessage<?>> tailing = store.openStream(null)) {
                read.add(next(behind));
                // the tailing consumer keeps the read-ahead running; the other lags 40 events behind
                publish(store, 3, 43);
                for (int i = 0; i < 43; i++) {
                    next(tailing);
                }
                for (int i = 1; i < 43; i++) {
                    read.add(next(behind));
                }
                assertThat(behind.hasNextAvailable(50, TimeUnit.MILLISECONDS)).isFalse();
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 43; i++) {
                expected.add("event-" + i);
            }
            assertThat(read).isEqualTo(expected);
        } finally {
            store.shutDown();
        }
    }

    private static void publish(EmbeddedEventStore store, int from, int to) {
        for (int i = from; i < to; i++) {
            store.publish(GenericEventMessage.asEventMessage("event-" + i));
        }
    }

    private static String next(BlockingStream<TrackedEventMessage<?>> stream) throws InterruptedException {
        assertThat(stream.hasNextAvailable(5, TimeUnit.SECONDS)).as("an event within 5 s").isTrue();
        return (String) stream.nextAvailable().getPayload();
    }
}
