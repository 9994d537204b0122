package com.qiledger.query.dda;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One partial payment: a distinct {@code partially_paid} snapshot, its {@code total_payment_amount}
 * (null when the provider sent none), and when and where the ledger recorded it.
 */
public record DdaPartialPaymentView(
        String fingerprint,
        BigDecimal amount,
        String webhookType,
        Instant recordedAt,
        long position) {
}
