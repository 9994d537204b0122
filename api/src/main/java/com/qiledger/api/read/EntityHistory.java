package com.qiledger.api.read;

import java.util.List;

/** The history of one entity; empty when the ledger has never heard of it. */
public record EntityHistory(String entityType, String key, List<HistoryEntry> events) {

    public EntityHistory {
        events = List.copyOf(events);
    }
}
