package com.qiledger.api.projections;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Where each read model stands, read from the token store itself (not from this node's memory), so
 * the answer is the same on every node: per processor and segment, the position processed, the node
 * holding the claim and when it last stored its token; and the event store's head.
 */
@Component
public class ProcessorPositions {

    private final JdbcClient jdbc;
    private final Serializer tokenSerializer;

    public ProcessorPositions(JdbcClient jdbc, @Qualifier("serializer") Serializer tokenSerializer) {
        this.jdbc = jdbc;
        this.tokenSerializer = tokenSerializer;
    }

    public record SegmentPosition(int segment, Long position, String owner, Instant storedAt) {
    }

    /** The global position of the newest event, -1 when the store is empty. */
    public long head() {
        return jdbc.sql("SELECT COALESCE(max(globalindex), -1) FROM domainevententry").query(Long.class).single();
    }

    /** Every processor's segments as the token store holds them, by processor name. */
    public Map<String, List<SegmentPosition>> segments() {
        Map<String, List<SegmentPosition>> byProcessor = new LinkedHashMap<>();
        stored().forEach((processor, rows) -> byProcessor.put(processor, rows.stream()
                .map(row -> new SegmentPosition(row.segment(), position(row.token()), row.owner(), row.storedAt()))
                .toList()));
        return byProcessor;
    }

    /**
     * The position every one of the given processors has processed, i.e. the lowest over their
     * segments; -1 when one of them has not stored a token yet. A processor stores its token lazily
     * after batches holding none of its events, so for segments this node processes the processor's
     * own in-memory token ({@code localTokens}, per processor and segment) counts when ahead.
     */
    public long processedByAll(List<String> processors, Map<String, Map<Integer, TrackingToken>> localTokens) {
        List<TrackingToken> reached = reached(processors, localTokens);
        if (reached == null) {
            return -1;
        }
        long lowest = Long.MAX_VALUE;
        for (TrackingToken token : reached) {
            Long position = position(token);
            lowest = Math.min(lowest, position == null ? -1 : position);
        }
        return lowest == Long.MAX_VALUE ? -1 : lowest;
    }

    /**
     * Whether every one of the given processors has processed every committed event up to and
     * including {@code position}: read-your-writes after a webhook's {@code 200}. A token's position
     * is the highest index it has seen, but deliveries commit out of order, so a token past
     * {@code position} may still hold gaps below it: indexes whose transactions had not committed when
     * the processor read past them. Such a gap is an event not yet processed once it is in the store
     * (it is read on the processor's next fetch); a gap that is not in the store (still in flight, or
     * rolled back and never to be filled) holds no event, so it does not hold the answer back.
     */
    public boolean processedByAll(List<String> processors, Map<String, Map<Integer, TrackingToken>> localTokens,
                                  long position) {
        return covers(reached(processors, localTokens), position);
    }

    /**
     * Whether the tokens {@link #reached} returned cover every committed event up to and including
     * {@code position} (see {@link #processedByAll(List, Map, long)}). Tokens only move forward, so
     * tokens read earlier can only answer "not yet" where fresher ones would answer yes.
     */
    public boolean covers(List<TrackingToken> reached, long position) {
        if (reached == null) {
            return false;
        }
        java.util.TreeSet<Long> gapsAtOrBelow = new java.util.TreeSet<>();
        for (TrackingToken token : reached) {
            Long at = position(token);
            if (at == null || at < position) {
                return false;
            }
            WrappedToken.unwrap(token, GapAwareTrackingToken.class)
                    .ifPresent(gapAware -> gapAware.getGaps().stream()
                            .filter(gap -> gap <= position)
                            .forEach(gapsAtOrBelow::add));
        }
        return gapsAtOrBelow.isEmpty() || !jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM domainevententry WHERE globalindex IN (:gaps))""")
                .param("gaps", gapsAtOrBelow)
                .query(Boolean.class)
                .single();
    }

    /**
     * Per segment of the given processors, the token that has read further of the stored one and
     * this node's in-memory one; null when one of the processors has stored no token yet.
     */
    public List<TrackingToken> reached(List<String> processors, Map<String, Map<Integer, TrackingToken>> localTokens) {
        Map<String, List<StoredToken>> stored = stored();
        List<TrackingToken> reached = new ArrayList<>();
        for (String processor : processors) {
            List<StoredToken> mine = stored.get(processor);
            if (mine == null || mine.isEmpty()) {
                return null;
            }
            Map<Integer, TrackingToken> local = localTokens.getOrDefault(processor, Map.of());
            for (StoredToken s : mine) {
                reached.add(newer(s.token(), local.get(s.segment())));
            }
        }
        return reached;
    }

    private record StoredToken(int segment, TrackingToken token, String owner, Instant storedAt) {
    }

    private Map<String, List<StoredToken>> stored() {
        Map<String, List<StoredToken>> byProcessor = new LinkedHashMap<>();
        jdbc.sql("SELECT processorname, segment, token, tokentype, owner, timestamp FROM tokenentry "
                        + "ORDER BY processorname, segment")
                .query(rs -> {
                    byProcessor.computeIfAbsent(rs.getString("processorname"), k -> new ArrayList<>())
                            .add(new StoredToken(rs.getInt("segment"),
                                    token(rs.getBytes("token"), rs.getString("tokentype")),
                                    rs.getString("owner"), parse(rs.getString("timestamp"))));
                });
        return byProcessor;
    }

    /** Of the stored and the in-memory token of one segment, the one that has read further. */
    private static TrackingToken newer(TrackingToken stored, TrackingToken local) {
        Long storedAt = position(stored);
        Long localAt = position(local);
        if (localAt == null) {
            return stored;
        }
        return storedAt == null || localAt > storedAt ? local : stored;
    }

    private static Long position(TrackingToken token) {
        if (token == null) {
            return null;
        }
        OptionalLong position = token.position();
        return position.isPresent() ? position.getAsLong() : null;
    }

    private TrackingToken token(byte[] token, String type) {
        if (token == null || type == null) {
            return null;
        }
        SerializedObject<byte[]> serialized = new SimpleSerializedObject<>(token, byte[].class,
                new SimpleSerializedType(type, null));
        return tokenSerializer.deserialize(serialized);
    }

    private static Instant parse(String timestamp) {
        try {
            return timestamp == null ? null : Instant.parse(timestamp);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
