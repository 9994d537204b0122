package com.qiledger.api.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event as an auditor sees it: where it sits in the event store, what it says, when it happened
 * at the provider ({@code effectiveAt}), when the ledger recorded it, and the delivery it came from.
 */
public record HistoryEntry(
        long position,
        long sequence,
        String type,
        String eventId,
        Instant recordedAt,
        Instant effectiveAt,
        String receipt,
        JsonNode data) {
}
