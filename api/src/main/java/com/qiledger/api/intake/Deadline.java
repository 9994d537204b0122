package com.qiledger.api.intake;

import java.time.Duration;

/**
 * When one delivery's work must end, on the monotonic clock. The work checks it between its steps
 * and bounds each database statement by what is left, so a delivery that outlives its answer (the
 * controller's 503) does not keep a worker busy: it stops, rolls back and frees the thread.
 */
record Deadline(long endsAtNanos, Duration budget) {

    static Deadline after(long startedNanos, Duration budget) {
        return new Deadline(startedNanos + budget.toNanos(), budget);
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, endsAtNanos - System.nanoTime()));
    }

    boolean passed() {
        return System.nanoTime() - endsAtNanos >= 0;
    }

    void check(String during) {
        if (passed()) {
            throw new DeadlineExceededException(during, budget);
        }
    }
}
