package com.qiledger.command.messages.bankslip;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A payment as notified or settled by the provider; every amount is exact. */
public record SlipPayment(
        BigDecimal paidAmount,
        BigDecimal discountAmount,
        BigDecimal paidInterestAmount,
        String paymentBank,
        String paymentBankIspb,
        String paymentBranch,
        String paymentAccount,
        String paymentMethod,
        PaymentOrigin paymentOrigin,
        PaidIn paidIn,
        LocalDate paymentCreditDate,
        String originType,
        String agentType,
        String selectedUserAgent) {
}
