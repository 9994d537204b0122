package com.qiledger.api.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
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
 *
 * <p>The linger is counted from the waiting event's own time, not from the moment the processor saw
 * it (issue 20): the event store's read-ahead already waits {@code linger} after a commit before it
 * wakes the processors ({@link LingeringEventStore}), so an event that arrives through it has lingered
 * already, and waiting a second {@code linger} only added lag (the benchmark's projection lag p50 was
 * about twice the linger). An event's time is when its aggregate applied it, just before its commit;
 * the wait is kept within {@code [0, linger]}, so another node's clock can shorten or lengthen it
 * within that bound only.
 */
public final class LingeringEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private final EventStore events;
    private final long lingerNanos;
    private final Clock clock;

    public LingeringEventSource(EventStore events, Duration linger) {
        this(events, linger, Clock.systemUTC());
    }

    LingeringEventSource(EventStore events, Duration linger, Clock clock) {
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative: " + linger);
        }
        this.events = events;
        this.lingerNanos = linger.toNanos();
        this.clock = clock;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        BlockingStream<TrackedEventMessage<?>> stream = events.openStream(trackingToken);
        // wrapped at any linger: with none it waits for nothing, and still reads each shared event once
        return new Lingering(stream, lingerNanos, clock);
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

    /**
     * The stream: when an event ends a wait for one, waits until that event is {@code lingerNanos} old
     * (at most that long, at least not at all); never when one was already there.
     */
    static final class Lingering implements BlockingStream<TrackedEventMessage<?>> {

        /** At least one of this many skipped events in a row is handed over (see {@link #fill}). */
        static final int SKIP_RUN = 1000;

        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private final long lingerNanos;
        private final Clock clock;
        /** The payload types the processor has no handler for; one processor thread uses a stream. */
        private final Set<Class<?>> skipped = new HashSet<>();
        /** The next message to hand over, taken from the delegate already. */
        private TrackedEventMessage<?> next;
        private int skippedInARow;

        Lingering(BlockingStream<TrackedEventMessage<?>> delegate, long lingerNanos, Clock clock) {
            this.delegate = delegate;
            this.lingerNanos = lingerNanos;
            this.clock = clock;
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (fill()) {
                return true;
            }
            if (timeout <= 0 || !delegate.hasNextAvailable(timeout, unit)) {
                return false;
            }
            Optional<TrackedEventMessage<?>> first = delegate.peek();
            TimeUnit.NANOSECONDS.sleep(first.isEmpty() ? lingerNanos
                    : waitNanos(lingerNanos, first.get().getTimestamp(), clock.instant()));
            return fill();
        }

        /**
         * Takes into {@link #next} the first message available now of a type the processor handles. The
         * messages of the types it asked to skip ({@link #skipMessagesWithPayloadTypeOf}: it has no
         * handler for them) are dropped, except the last of those available when none of its own follows
         * one, and one in every {@link #SKIP_RUN} in a row: the processor ignores that one as before and
         * its position moves on to it, so a processor with nothing to do still stands at the head (its
         * lag and {@code ?minPosition} read that position), at most one linger late.
         */
        private boolean fill() throws InterruptedException {
            if (next != null) {
                return true;
            }
            TrackedEventMessage<?> lastSkipped = null;
            while (delegate.hasNextAvailable(0, TimeUnit.NANOSECONDS)) {
                TrackedEventMessage<?> message = delegate.nextAvailable();
                if (!skipped.contains(message.getPayloadType()) || ++skippedInARow >= SKIP_RUN) {
                    return handOver(message);
                }
                lastSkipped = message;
            }
            return lastSkipped != null && handOver(lastSkipped);
        }

        private boolean handOver(TrackedEventMessage<?> message) {
            skippedInARow = 0;
            next = message;
            return true;
        }

        /** How long to wait for an event of this time to be {@code lingerNanos} old, within {@code [0, lingerNanos]}. */
        static long waitNanos(long lingerNanos, Instant eventTime, Instant now) {
            Duration age = Duration.between(eventTime, now);
            if (age.isNegative() || age.isZero()) {
                return lingerNanos;
            }
            return age.compareTo(Duration.ofNanos(lingerNanos)) >= 0 ? 0 : lingerNanos - age.toNanos();
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            try {
                fill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.ofNullable(next);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            TrackedEventMessage<?> message = fill() ? next : delegate.nextAvailable();
            next = null;
            return deserializedOnce(message);
        }

        /**
         * The message with its payload and metadata read. The processors share the store's messages
         * (Axon's read-ahead hands every caught-up stream the same objects), and with the linger they
         * take the same ones at the same moment; Axon's lazy holder then let each of them deserialize
         * the same JSON again (in the JFR profile of issue 20, the bank-slip, money-movement and journal
         * processors each spent 12 to 40 % of their time deserializing). Under the message's own lock
         * the first stream to take it reads it and the others find it read. A payload that does not
         * read is left for the processor's handler to meet, where it is dead-lettered as before.
         */
        static TrackedEventMessage<?> deserializedOnce(TrackedEventMessage<?> message) {
            synchronized (message) {
                try {
                    message.getPayload();
                    message.getMetaData();
                } catch (RuntimeException unreadable) {
                    // the handler meets it and dead-letters the event
                }
            }
            return message;
        }

        @Override
        public void close() {
            next = null;
            delegate.close();
        }

        /**
         * Axon's tracking processor asks this for an event whose type it has no handler for at all
         * (Axon's "blacklisting"; the embedded event store's own stream ignores it): from then on such
         * events are dropped here, before anything reads them, instead of being handed over one by one
         * to be ignored (issue 20: five of the eight processors have no handler for a paid slip, and
         * their ten threads spent 7 % of the service's CPU matching and ignoring its events).
         */
        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            skipped.add(ignoredMessage.getPayloadType());
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return delegate.setOnAvailableCallback(callback);
        }
    }
}
