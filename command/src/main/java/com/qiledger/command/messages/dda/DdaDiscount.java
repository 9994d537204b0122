package com.qiledger.command.messages.dda;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One element of {@code data.discounts}; the amount is exact, in the scale it was sent with. */
public record DdaDiscount(
        LocalDate discountLimitDate,
        String discountType,
        BigDecimal discountAmount) {
}
