package com.qiledger.command.messages.dda;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One element of {@code data.fine}; the amount is exact, in the scale it was sent with. */
public record DdaFine(
        LocalDate fineBillingStartDate,
        String fineAmountType,
        BigDecimal fineAmount) {
}
