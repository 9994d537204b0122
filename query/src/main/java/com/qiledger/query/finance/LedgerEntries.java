package com.qiledger.query.finance;

import java.time.LocalDate;
import java.util.List;

/** The ledger entries whose effective date lies in {@code [from, to]}, by effective date, then position. */
public record LedgerEntries(LocalDate from, LocalDate to, List<LedgerEntry> entries) {

    public LedgerEntries {
        entries = List.copyOf(entries);
    }
}
