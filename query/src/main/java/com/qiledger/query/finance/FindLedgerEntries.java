package com.qiledger.query.finance;

import java.time.LocalDate;
import java.util.Objects;

/** The money movements of a period, both days included; answered with {@link LedgerEntries}. */
public record FindLedgerEntries(LocalDate from, LocalDate to) {

    public FindLedgerEntries {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from " + from + " is after to " + to);
        }
    }
}
