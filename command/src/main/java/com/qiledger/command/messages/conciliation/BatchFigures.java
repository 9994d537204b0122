package com.qiledger.command.messages.conciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * What the provider says about a payment-order conciliation batch (Pix Automático) at one moment.
 * {@code status} and {@code type} ({@code fixed_amount}, {@code variable_amount}) are kept as sent,
 * so that a value the provider adds later is recorded rather than refused. Amounts are exact and
 * keep the scale they were sent with; counts are whole numbers. Other fields the provider did not
 * send are null.
 */
public record BatchFigures(
        String status,
        String type,
        String accountKey,
        BigDecimal totalAmount,
        BigDecimal conciliatedAmount,
        long totalPaymentOrders,
        long conciliatedPaymentOrders,
        LocalDate referenceDate,
        Instant createdAt) {
}
