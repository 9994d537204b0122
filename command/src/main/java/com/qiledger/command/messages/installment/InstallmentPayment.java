package com.qiledger.command.messages.installment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One payment of an installment ({@code data.installment.installment_payment[]}), identified by the
 * provider's {@code installment_payment_key}: the same key in a later webhook is the same payment.
 * {@code paidMethodType} is the {@code paid_method_type.enumerator} as sent ({@code pix}, ...); the
 * amount is exact, scale kept.
 */
public record InstallmentPayment(
        String installmentPaymentKey,
        Instant paidAt,
        BigDecimal paidAmount,
        String paidMethodType) {

    public InstallmentPayment {
        Objects.requireNonNull(installmentPaymentKey, "installmentPaymentKey");
    }
}
