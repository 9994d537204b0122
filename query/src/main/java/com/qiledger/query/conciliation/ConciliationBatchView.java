package com.qiledger.query.conciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A Pix Automático conciliation batch as the read model holds it; the open amount and count are
 * what is not conciliated yet ({@code total − conciliated}).
 */
public record ConciliationBatchView(
        String batchKey,
        String status,
        String type,
        String accountKey,
        BigDecimal totalAmount,
        BigDecimal conciliatedAmount,
        BigDecimal openAmount,
        long totalPaymentOrders,
        long conciliatedPaymentOrders,
        long openPaymentOrders,
        LocalDate referenceDate,
        Instant createdAt,
        Instant figuresAsOf,
        Instant firstRecordedAt,
        Instant lastRecordedAt,
        int factsRecorded,
        long position) {
}
