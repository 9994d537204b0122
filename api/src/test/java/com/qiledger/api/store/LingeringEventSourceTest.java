package com.qiledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.Test;

class LingeringEventSourceTest {

    private static final long LINGER = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");
    /** The processors' clock in these tests; events are dated by {@link FakeStream#time}. */
    private static final Clock NOW = Clock.fixed(T0, ZoneOffset.UTC);

    /** A stream whose events appear when {@link #arrive} is called, or during a wait, after {@code arrivesAfterWait}. */
    private static final class FakeStream implements BlockingStream<TrackedEventMessage<?>> {
        final Deque<TrackedEventMessage<?>> available = new ArrayDeque<>();
        int arrivesDuringWait;
        long next;
        /** The time of the events that arrive: when their aggregate applied them. */
        Instant time = T0;

        void arrive(int n) {
            for (int i = 0; i < n; i++) {
                arrive("e" + next);
            }
        }

        /** One event with this payload (its type is the payload's class). */
        void arrive(Object payload) {
            available.add(new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(next++),
                    new GenericEventMessage<>("id-" + next, payload, java.util.Map.of(), time)));
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) {
            if (available.isEmpty() && timeout > 0) {
                arrive(arrivesDuringWait);
            }
            return !available.isEmpty();
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return Optional.ofNullable(available.peek());
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() {
            return available.poll();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void anEventEndingAWaitIsHandedOverOnlyAfterTheLinger() throws Exception {
        FakeStream events = new FakeStream();
        events.arrivesDuringWait = 1;
        BlockingStream<TrackedEventMessage<?>> stream = new LingeringEventSource.Lingering(events, LINGER, NOW);

        long started = System.nanoTime();
        assertThat(stream.hasNextAvailable(1, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(LINGER);
        assertThat(stream.nextAvailable().trackingToken()).isEqualTo(new GlobalSequenceTrackingToken(0));
    }

    /**
     * An event that comes through the event store's read-ahead has lingered there already (the store
     * wakes the processors {@code linger} after a commit): it is handed over at once, not after a second
     * linger (issue 20: that doubled the projection lag).
     */
    @Test
    void anEventThatHasLingeredAlreadyIsHandedOverAtOnce() throws Exception {
        FakeStream events = new FakeStream();
        events.arrivesDuringWait = 1;
        events.time = T0.minusMillis(150);
        long linger = TimeUnit.SECONDS.toNanos(60);
        BlockingStream<TrackedEventMessage<?>> stream = new LingeringEventSource.Lingering(events, linger,
                Clock.fixed(T0.plusNanos(linger), ZoneOffset.UTC));

        // a 60 s linger counted from the moment of arrival would hang this test
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> stream.hasNextAvailable(1, TimeUnit.SECONDS))).isTrue();
        assertThat(stream.nextAvailable().trackingToken()).isEqualTo(new GlobalSequenceTrackingToken(0));
    }

    @Test
    void theLingerIsCountedFromTheEventsOwnTimeAndStaysWithinItsBounds() {
        long linger = TimeUnit.MILLISECONDS.toNanos(100);
        assertThat(LingeringEventSource.Lingering.waitNanos(linger, T0, T0)).as("just applied").isEqualTo(linger);
        assertThat(LingeringEventSource.Lingering.waitNanos(linger, T0.minusMillis(30), T0)).as("30 ms old")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(70));
        assertThat(LingeringEventSource.Lingering.waitNanos(linger, T0.minusMillis(100), T0)).as("as old as the linger")
                .isZero();
        assertThat(LingeringEventSource.Lingering.waitNanos(linger, T0.minusSeconds(3600), T0)).as("old").isZero();
        assertThat(LingeringEventSource.Lingering.waitNanos(linger, T0.plusSeconds(5), T0))
                .as("dated ahead by another node's clock: at most the linger").isEqualTo(linger);
        assertThat(LingeringEventSource.Lingering.waitNanos(linger, Instant.MIN, Instant.MAX)).isZero();
        assertThat(LingeringEventSource.Lingering.waitNanos(linger, Instant.MAX, Instant.MIN)).isEqualTo(linger);
    }

    @Test
    void eventsAlreadyWaitingAreHandedOverAtOnce() throws Exception {
        FakeStream events = new FakeStream();
        events.arrive(3);
        BlockingStream<TrackedEventMessage<?>> stream = new LingeringEventSource.Lingering(events, TimeUnit.SECONDS.toNanos(60), NOW);

        // a 60 s linger would hang this test if a backlog lingered
        assertThat(stream.hasNextAvailable(1, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.hasNextAvailable()).isTrue();
        assertThat(stream.peek()).isPresent();
    }

    @Test
    void nothingArrivingMeansNoEventAndNoLinger() throws Exception {
        FakeStream events = new FakeStream();
        BlockingStream<TrackedEventMessage<?>> stream = new LingeringEventSource.Lingering(events, TimeUnit.SECONDS.toNanos(60), NOW);

        assertThat(stream.hasNextAvailable(10, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stream.hasNextAvailable()).isFalse();
    }

    @Test
    void aNegativeLingerIsRefused() {
        assertThatThrownBy(() -> new LingeringEventSource(null, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
    /**
     * Two processors taking one shared message at the same moment read its JSON once: the second waits
     * for the first's payload instead of deserializing it again (Axon's lazy holder alone lets both
     * deserialize; the slow serializer makes them meet).
     */
    @Test
    void processorsTakingOneMessageTogetherDeserializeItOnce() throws Exception {
        CountingSerializer serializer = new CountingSerializer(Duration.ofMillis(100));
        TrackedEventMessage<?> shared = serialized(serializer, "{\"amount\":\"12.50\"}");
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService processors = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.List<java.util.concurrent.Future<Object>> payloads = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                payloads.add(processors.submit(() -> {
                    start.await();
                    return LingeringEventSource.Lingering.deserializedOnce(shared).getPayload();
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<Object> payload : payloads) {
                assertThat(payload.get(10, TimeUnit.SECONDS)).isEqualTo(java.util.Map.of("amount", "12.50"));
            }
        } finally {
            processors.shutdownNow();
        }
        assertThat(serializer.payloads.get()).isEqualTo(1);
    }

    /** A payload that does not read is handed over as it is, for the handler to meet and dead-letter. */
    @Test
    void anUnreadablePayloadIsHandedOverForTheHandler() {
        TrackedEventMessage<?> broken = serialized(new CountingSerializer(Duration.ZERO), "{not json");

        assertThat(LingeringEventSource.Lingering.deserializedOnce(broken)).isSameAs(broken);
        assertThatThrownBy(broken::getPayload).isInstanceOf(RuntimeException.class);
    }

    private static TrackedEventMessage<?> serialized(org.axonframework.serialization.Serializer serializer,
                                                     String json) {
        var payload = new org.axonframework.serialization.SimpleSerializedObject<>(json.getBytes(
                java.nio.charset.StandardCharsets.UTF_8), byte[].class, java.util.Map.class.getName(), null);
        var metaData = new org.axonframework.serialization.SimpleSerializedObject<>("{}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8), byte[].class,
                org.axonframework.messaging.MetaData.class.getName(), null);
        return new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(7),
                new org.axonframework.serialization.SerializedMessage<>("id-7", payload, metaData, serializer),
                () -> T0);
    }

    /** Axon's JSON serializer, slowed down and counting the payloads it deserializes. */
    private static final class CountingSerializer implements org.axonframework.serialization.Serializer {
        final org.axonframework.serialization.Serializer json =
                org.axonframework.serialization.json.JacksonSerializer.defaultSerializer();
        final java.util.concurrent.atomic.AtomicInteger payloads = new java.util.concurrent.atomic.AtomicInteger();
        final Duration slowness;

        CountingSerializer(Duration slowness) {
            this.slowness = slowness;
        }

        @Override
        public <T> org.axonframework.serialization.SerializedObject<T> serialize(Object object, Class<T> type) {
            return json.serialize(object, type);
        }

        @Override
        public <T> boolean canSerializeTo(Class<T> type) {
            return json.canSerializeTo(type);
        }

        @Override
        public <S, T> T deserialize(org.axonframework.serialization.SerializedObject<S> serialized) {
            if (!serialized.getType().getName().equals(org.axonframework.messaging.MetaData.class.getName())) {
                payloads.incrementAndGet();
                try {
                    Thread.sleep(slowness.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return json.deserialize(serialized);
        }

        @Override
        public Class classForType(org.axonframework.serialization.SerializedType type) {
            return json.classForType(type);
        }

        @Override
        public org.axonframework.serialization.SerializedType typeForClass(Class type) {
            return json.typeForClass(type);
        }

        @Override
        public org.axonframework.serialization.Converter getConverter() {
            return json.getConverter();
        }
    }

    /**
     * Events of a type the processor has no handler for (it said so with skipMessagesWithPayloadTypeOf,
     * as Axon's tracking processor does when it ignores one) are dropped before they reach it, except
     * the last of a run that nothing of its own follows: the processor ignores that one and its
     * position reaches the head.
     */
    @Test
    void typesTheProcessorSkipsAreDroppedExceptTheLastOfWhatIsAvailable() throws Exception {
        FakeStream events = new FakeStream();
        BlockingStream<TrackedEventMessage<?>> stream = new LingeringEventSource.Lingering(events, LINGER, NOW);
        events.arrive("a");
        events.arrive(1L); // Longs: the type the processor skips
        events.arrive(2L);
        events.arrive("b");
        events.arrive(3L);
        events.arrive(4L);

        assertThat(stream.nextAvailable().getPayload()).isEqualTo("a");
        TrackedEventMessage<?> ignored = stream.nextAvailable();
        assertThat(ignored.getPayload()).isEqualTo(1L); // before the processor asks, nothing is skipped
        stream.skipMessagesWithPayloadTypeOf(ignored);

        assertThat(stream.hasNextAvailable(0, TimeUnit.NANOSECONDS)).isTrue();
        assertThat(stream.peek().map(m -> (Object) m.getPayload())).contains("b"); // 2 dropped
        TrackedEventMessage<?> b = stream.nextAvailable();
        assertThat(b.getPayload()).isEqualTo("b");
        assertThat(b.trackingToken()).isEqualTo(new GlobalSequenceTrackingToken(3));
        // 3 dropped; 4 is the last available: handed over, so the position moves to the head
        TrackedEventMessage<?> last = stream.nextAvailable();
        assertThat(last.getPayload()).isEqualTo(4L);
        assertThat(last.trackingToken()).isEqualTo(new GlobalSequenceTrackingToken(5));
        assertThat(stream.hasNextAvailable(0, TimeUnit.NANOSECONDS)).isFalse();
        assertThat(stream.peek()).isEmpty();

        // after a wait, a run of skipped events alone still hands over its last
        events.arrivesDuringWait = 0;
        events.arrive(5L);
        events.arrive(6L);
        assertThat(stream.hasNextAvailable(1, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.nextAvailable().trackingToken()).isEqualTo(new GlobalSequenceTrackingToken(7));
    }

    @Test
    void aLongRunOfSkippedTypesHandsOverOneInEverySkipRun() throws Exception {
        FakeStream events = new FakeStream();
        BlockingStream<TrackedEventMessage<?>> stream = new LingeringEventSource.Lingering(events, LINGER, NOW);
        events.arrive(0L); // Longs: a type the processor will skip
        stream.skipMessagesWithPayloadTypeOf(stream.nextAvailable());
        int run = LingeringEventSource.Lingering.SKIP_RUN;
        for (int i = 1; i <= run + 5; i++) {
            events.arrive((long) i);
        }
        events.arrive("mine");

        // a catch-up through others' events moves the position on as it goes
        assertThat(stream.nextAvailable().trackingToken()).isEqualTo(new GlobalSequenceTrackingToken(run));
        assertThat(stream.nextAvailable().getPayload()).isEqualTo("mine");
        assertThat(stream.hasNextAvailable(0, TimeUnit.NANOSECONDS)).isFalse();
    }
}
