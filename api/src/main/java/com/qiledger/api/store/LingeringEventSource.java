package com.qiledger.api.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;

/**
 * The event store as the projections' tracking processors read it, with a short <b>linger</b>: when
 * a processor has caught up and an event arrives, it waits {@code linger} before taking it, so that
 * the events committed in that moment join the same batch (one transaction, one token update)
 * instead of one transaction each. A processor behind the head (events already waiting) does not
 * wait; a linger of zero turns this off.
 *
 * <p>Why: with the read models caught up, Axon's tracking processor wakes on every committed event
 * and handles it alone; at a few hundred webhooks/s that is 2.5 projection transactions per event
 * (issue 6, measured with {@code pg_stat_statements}), each with its token update and its commit's
 * WAL flush. Axon has no such setting (its batch size is an upper bound, never waited for), hence
 * this wrapper. The price is at most {@code linger} of projection lag per event.
 */
public final class LingeringEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private final EventStore events;
    private final long lingerNanos;

    public LingeringEventSource(EventStore events, Duration linger) {
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative: " + linger);
        }
        this.events = events;
        this.lingerNanos = linger.toNanos();
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        BlockingStream<TrackedEventMessage<?>> stream = events.openStream(trackingToken);
        return lingerNanos == 0 ? stream : new Lingering(stream, lingerNanos);
    }

    @Override
    public TrackingToken createTailToken() {
        return events.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return events.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return events.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return events.createTokenSince(duration);
    }

    /** The stream: waits {@code lingerNanos} after an event ends a wait for one, never when one was already there. */
    static final class Lingering implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private final long lingerNanos;

        Lingering(BlockingStream<TrackedEventMessage<?>> delegate, long lingerNanos) {
            this.delegate = delegate;
            this.lingerNanos = lingerNanos;
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (delegate.hasNextAvailable(0, TimeUnit.NANOSECONDS)) {
                return true;
            }
            if (timeout <= 0 || !delegate.hasNextAvailable(timeout, unit)) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(lingerNanos);
            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void close() {
            delegate.close();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return delegate.setOnAvailableCallback(callback);
        }
    }
}
