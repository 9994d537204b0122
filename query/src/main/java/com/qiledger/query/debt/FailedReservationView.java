package com.qiledger.query.debt;

import java.time.Instant;

/** One failed private-pension reservation of the debt, as reported. */
public record FailedReservationView(
        long position,
        Instant occurredAt,
        Instant recordedAt,
        String status,
        String enumerator,
        String description) {
}
