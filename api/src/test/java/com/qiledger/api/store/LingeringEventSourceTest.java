package com.qiledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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

    /** A stream whose events appear when {@link #arrive} is called, or during a wait, after {@code arrivesAfterWait}. */
    private static final class FakeStream implements BlockingStream<TrackedEventMessage<?>> {
        final Deque<TrackedEventMessage<?>> available = new ArrayDeque<>();
        int arrivesDuringWait;
        long next;

        void arrive(int n) {
            for (int i = 0; i < n; i++) {
                available.add(new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(next++),
                        GenericEventMessage.asEventMessage("e" + next)));
            }
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
        BlockingStream<TrackedEventMessage<?>> stream = new LingeringEventSource.Lingering(events, LINGER);

        long started = System.nanoTime();
        assertThat(stream.hasNextAvailable(1, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(LINGER);
        assertThat(stream.nextAvailable().trackingToken()).isEqualTo(new GlobalSequenceTrackingToken(0));
    }

    @Test
    void eventsAlreadyWaitingAreHandedOverAtOnce() throws Exception {
        FakeStream events = new FakeStream();
        events.arrive(3);
        BlockingStream<TrackedEventMessage<?>> stream = new LingeringEventSource.Lingering(events, TimeUnit.SECONDS.toNanos(60));

        // a 60 s linger would hang this test if a backlog lingered
        assertThat(stream.hasNextAvailable(1, TimeUnit.SECONDS)).isTrue();
        assertThat(stream.hasNextAvailable()).isTrue();
        assertThat(stream.peek()).isPresent();
    }

    @Test
    void nothingArrivingMeansNoEventAndNoLinger() throws Exception {
        FakeStream events = new FakeStream();
        BlockingStream<TrackedEventMessage<?>> stream = new LingeringEventSource.Lingering(events, TimeUnit.SECONDS.toNanos(60));

        assertThat(stream.hasNextAvailable(10, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stream.hasNextAvailable()).isFalse();
    }

    @Test
    void aNegativeLingerIsRefused() {
        assertThatThrownBy(() -> new LingeringEventSource(null, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
