package com.qiledger.api.platform;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * The event streams a batch of commands is about to load, declared on the batch's root unit of work
 * (issue 20). The intake declares them when it writes a batch of deliveries in one unit of work; the
 * event store reads every declared stream in one query the first time one of them is loaded, instead
 * of one query per aggregate (and none at all for a stream the store has never seen). What is read
 * lives and dies with that unit of work, inside its transaction: nothing is cached beyond it.
 */
public final class BatchedStreams {

    private static final String KEY = BatchedStreams.class.getName();

    private BatchedStreams() {
    }

    /** Declares the aggregates of the current root unit of work's commands. */
    public static void declare(Collection<String> aggregateIds) {
        CurrentUnitOfWork.get().root().resources().put(KEY, Set.copyOf(aggregateIds));
    }

    /** The aggregates declared for the current root unit of work, if any. */
    public static Optional<Set<String>> declared() {
        if (!CurrentUnitOfWork.isStarted()) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Set<String> ids = (Set<String>) CurrentUnitOfWork.get().root().resources().get(KEY);
        return Optional.ofNullable(ids);
    }
}
