package com.qiledger.query.finance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One entry of the money-movement ledger. {@code amount} is exact, in the scale the provider sent
 * (null when the fact has none); {@code effectiveDate} is the fact's business day in São Paulo, taken
 * from {@code effectiveAt}, which is a provider time or the ledger's recorded time as
 * {@code effectiveSource} says. {@code eventId}, {@code position} (global event position) and
 * {@code ordinal} (the fact's place within its event) identify the entry; {@code receipt} is the
 * delivery the event came from.
 */
public record LedgerEntry(
        LocalDate effectiveDate,
        String entity,
        String key,
        String kind,
        BigDecimal amount,
        String effectiveSource,
        Instant effectiveAt,
        Instant recordedAt,
        String reference,
        String detail,
        String receipt,
        String eventId,
        long position,
        int ordinal) {
}
