package com.qiledger.query.support;

import java.util.LinkedHashMap;
import java.util.Map;
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

    private static final int REMEMBERED = 20_000;
    private static final Map<String, Long> RECENT = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED;
        }
    };

    private Positions() {
    }

    /** Records the global position of an event, as the event store's tracking read saw it. */
    public static void remember(String eventIdentifier, long globalIndex) {
        synchronized (RECENT) {
            RECENT.put(eventIdentifier, globalIndex);
        }
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
        synchronized (RECENT) {
            Long known = RECENT.get(id);
            if (known != null) {
                return known;
            }
        }
        Long own = jdbc.sql("SELECT globalindex FROM public.domainevententry WHERE eventidentifier = :id")
                .param("id", id)
                .query(Long.class)
                .optional()
                .orElse(null);
        if (own == null) {
            return token.position().orElse(-1);
        }
        synchronized (RECENT) {
            RECENT.put(id, own);
        }
        return own;
    }
}
