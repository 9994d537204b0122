package com.qiledger.api.read;

import java.time.Instant;

/** One event a delivery caused: which entity, which event, where it sits in the store. */
public record ReceiptEvent(long position, String aggregateType, String aggregateKey, long sequence, String type,
                           String eventId, Instant recordedAt, Instant effectiveAt) {
}
