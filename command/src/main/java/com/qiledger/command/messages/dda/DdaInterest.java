package com.qiledger.command.messages.dda;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One element of {@code data.interest}; the amount is exact, in the scale it was sent with. */
public record DdaInterest(
        String interestAmountType,
        LocalDate interestBillingStartDate,
        BigDecimal interestAmount) {
}
