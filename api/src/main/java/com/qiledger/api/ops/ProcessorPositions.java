package com.qiledger.api.ops;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.axonframework.eventhandling.TrackingToken;
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
        jdbc.sql("SELECT processorname, segment, token, tokentype, owner, timestamp FROM tokenentry "
                        + "ORDER BY processorname, segment")
                .query(rs -> {
                    OptionalLong position = position(rs.getBytes("token"), rs.getString("tokentype"));
                    byProcessor.computeIfAbsent(rs.getString("processorname"), k -> new ArrayList<>())
                            .add(new SegmentPosition(rs.getInt("segment"),
                                    position.isPresent() ? position.getAsLong() : null,
                                    rs.getString("owner"), parse(rs.getString("timestamp"))));
                });
        return byProcessor;
    }

    /**
     * The position every one of the given processors has processed, i.e. the lowest over their
     * segments; -1 when one of them has not stored a token yet. A processor stores its token lazily
     * after batches holding none of its events, so for segments this node processes the processor's
     * own in-memory position ({@code localPositions}, per processor and segment) counts when ahead.
     */
    public long processedByAll(List<String> processors, Map<String, Map<Integer, Long>> localPositions) {
        Map<String, List<SegmentPosition>> segments = segments();
        long lowest = Long.MAX_VALUE;
        for (String processor : processors) {
            List<SegmentPosition> mine = segments.get(processor);
            if (mine == null || mine.isEmpty()) {
                return -1;
            }
            Map<Integer, Long> local = localPositions.getOrDefault(processor, Map.of());
            for (SegmentPosition s : mine) {
                long stored = s.position() == null ? -1 : s.position();
                lowest = Math.min(lowest, Math.max(stored, local.getOrDefault(s.segment(), -1L)));
            }
        }
        return lowest == Long.MAX_VALUE ? -1 : lowest;
    }

    private OptionalLong position(byte[] token, String type) {
        if (token == null || type == null) {
            return OptionalLong.empty();
        }
        SerializedObject<byte[]> serialized = new SimpleSerializedObject<>(token, byte[].class,
                new SimpleSerializedType(type, null));
        TrackingToken tracking = tokenSerializer.deserialize(serialized);
        return tracking == null ? OptionalLong.empty() : tracking.position();
    }

    private static Instant parse(String timestamp) {
        try {
            return timestamp == null ? null : Instant.parse(timestamp);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
