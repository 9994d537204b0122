package com.qiledger.query.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The global position of the event a projection is handling. Not simply the tracking token's
 * position: with the JDBC store the token is gap-aware, and when a transaction that took a lower
 * global index commits after one that took a higher index, its event arrives late carrying a token
 * whose position is the highest index seen, not its own. Using that as the event's position made
 * projections skip such events (found by the fault tests). The event's own index is read from the
 * event store by its identifier (unique, indexed), and remembered briefly because every projection
 * asks for the same events; a {@link GlobalSequenceTrackingToken} (replays built from positions)
 * is exact and used as it is. The event store's tracking reads {@link #remember} each event's index as
 * they read it, so the lookup is left for an event read some other way or forgotten since.
 */
public final class Positions {

    /**
     * Remembered in two generations, read without a lock (every projection asks for every event): a
     * full current generation becomes the previous one and the one before is dropped, so between
     * {@code REMEMBERED / 2} and {@code REMEMBERED} of the most recent events are known. It was an
     * access-ordered map under one global lock, taken for every event by every processor thread.
     */
    private static final int REMEMBERED = 20_000;
    private static volatile Map<String, Long> current = new ConcurrentHashMap<>();
    private static volatile Map<String, Long> previous = Map.of();
    private static final Object ROTATION = new Object();

    private Positions() {
    }

    /** Records the global position of an event, as the event store's tracking read saw it. */
    public static void remember(String eventIdentifier, long globalIndex) {
        Map<String, Long> now = current;
        now.put(eventIdentifier, globalIndex);
        if (now.size() > REMEMBERED / 2) {
            synchronized (ROTATION) {
                if (current == now) {
                    previous = now;
                    current = new ConcurrentHashMap<>();
                }
            }
        }
    }

    private static Long recalled(String eventIdentifier) {
        Long known = current.get(eventIdentifier);
        return known != null ? known : previous.get(eventIdentifier);
    }

    /** The event's own global position; -1 when it has none. */
    public static long of(EventMessage<?> event, TrackingToken token, JdbcClient jdbc) {
        if (token == null) {
            return -1;
        }
        if (token instanceof GlobalSequenceTrackingToken exact) {
            return exact.getGlobalIndex();
        }
        String id = event.getIdentifier();
        Long known = recalled(id);
        if (known != null) {
            return known;
        }
        Long own = jdbc.sql("SELECT globalindex FROM public.domainevententry WHERE eventidentifier = :id")
                .param("id", id)
                .query(Long.class)
                .optional()
                .orElse(null);
        if (own == null) {
            return token.position().orElse(-1);
        }
        remember(id, own);
        return own;
    }
}
