package com.qiledger.api.projections;

import java.time.Instant;

/** Progress of the latest read-model rebuild, as {@code GET /api/v1/projections} shows it. */
public record RebuildStatus(State state, Instant startedAt, Instant finishedAt, long targetPosition,
                            long replayedPosition, long eventsReplayed, long durationMillis, long eventsPerSecond,
                            String error) {

    public enum State {
        never, running, done, failed
    }

    static RebuildStatus never() {
        return new RebuildStatus(State.never, null, null, -1, -1, 0, 0, 0, null);
    }

    static RebuildStatus started(Instant at, long target) {
        return new RebuildStatus(State.running, at, null, target, -1, 0, 0, 0, null);
    }

    RebuildStatus progressed(long events, long position) {
        return new RebuildStatus(state, startedAt, finishedAt, targetPosition, position, eventsReplayed + events,
                durationMillis, eventsPerSecond, error);
    }

    RebuildStatus finished(Instant at, long nanos) {
        long millis = Math.max(1, nanos / 1_000_000);
        return new RebuildStatus(State.done, startedAt, at, targetPosition, replayedPosition, eventsReplayed, millis,
                eventsReplayed * 1000 / millis, null);
    }

    RebuildStatus failed(Instant at, String why) {
        return new RebuildStatus(State.failed, startedAt, at, targetPosition, replayedPosition, eventsReplayed,
                durationMillis, eventsPerSecond, why);
    }
}
