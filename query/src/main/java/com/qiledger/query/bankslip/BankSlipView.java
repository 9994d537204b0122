package com.qiledger.query.bankslip;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** A bank slip as the read model holds it: its lifecycle status and the facts that made it. */
public record BankSlipView(
        String bankSlipKey,
        String status,
        String ourNumber,
        LocalDate expiration,
        BigDecimal rebateAmount,
        BigDecimal paidAmount,
        BigDecimal discountAmount,
        BigDecimal paidInterestAmount,
        String paymentBank,
        String paymentBankIspb,
        String paymentOriginCode,
        String paymentOriginDescription,
        LocalDate paymentCreditDate,
        String writeOffReasonCode,
        String writeOffReasonDescription,
        Instant statusOccurredAt,
        Instant firstRecordedAt,
        Instant lastRecordedAt,
        int factsRecorded,
        long position) {
}
