package com.qiledger.api.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's embedded event store, whose read-ahead for the projections wakes at most once per
 * {@code linger} after commits instead of once per commit.
 *
 * <p>Axon's store wakes its producer thread after every commit that stored events; the producer
 * then reads the new events and reads once more to find nothing (two queries per commit, each
 * planned anew because its list of gaps changes: measured with {@code pg_stat_statements}, issue 6).
 * Here the first commit of a quiet moment schedules the wake {@code linger} later and the commits
 * meanwhile ride on it: one read brings them all, and the processors get them together. Events
 * committed by other nodes are found by the producer's own polling, as before. A linger of zero
 * is Axon's behaviour.
 */
public class LingeringEventStore extends EmbeddedEventStore {

    private final long lingerNanos;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final ScheduledExecutorService waker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ledger-event-store-waker");
        thread.setDaemon(true);
        return thread;
    });

    public LingeringEventStore(Builder builder, Duration linger) {
        super(builder);
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative: " + linger);
        }
        this.lingerNanos = linger.toNanos();
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        if (lingerNanos == 0) {
            super.afterCommit(events);
        } else if (wakeScheduled.compareAndSet(false, true)) {
            waker.schedule(() -> {
                // cleared before the wake: a commit from now on schedules the next one
                wakeScheduled.set(false);
                LingeringEventStore.super.afterCommit(events);
            }, lingerNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void shutDown() {
        waker.shutdownNow();
        super.shutDown();
    }
}
