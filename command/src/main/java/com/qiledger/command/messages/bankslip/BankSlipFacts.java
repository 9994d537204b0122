package com.qiledger.command.messages.bankslip;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Everything a {@code bank_slip.status_change} says about the slip besides its status. Fields the
 * provider did not send are null; {@code payment} is present on payment notices and payments.
 */
public record BankSlipFacts(
        String ourNumber,
        LocalDate expiration,
        BigDecimal rebateAmount,
        SlipOccurrence occurrence,
        SlipPayment payment) {
}
