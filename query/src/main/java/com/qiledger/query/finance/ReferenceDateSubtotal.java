package com.qiledger.query.finance;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Rule 5 per reference date: every conciliation batch of that date in the period (conciliated or not),
 * their total and conciliated amounts and payment orders, and what is open ({@code total − conciliated}).
 * Absent amounts count as zero.
 */
public record ReferenceDateSubtotal(
        LocalDate referenceDate,
        long batches,
        BigDecimal totalAmount,
        BigDecimal conciliatedAmount,
        BigDecimal openAmount,
        long totalPaymentOrders,
        long conciliatedPaymentOrders,
        long openPaymentOrders,
        long ageInDays) {
}
