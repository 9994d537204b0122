package com.qiledger.command.messages.installment;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One entry of the installment's own event list ({@code data.installment.events[]}): a payment, a
 * due-date change, ... as the provider logged it. Called an occurrence here so it is not mistaken
 * for a ledger event. Every field is kept as sent ({@code eventType} and {@code oldStatus} are the
 * enumerators' text); two occurrences with equal fields are the same occurrence sent again.
 */
public record InstallmentOccurrence(
        String eventType,
        Instant eventDate,
        BigDecimal amount,
        Instant createdAt,
        String oldStatus,
        LocalDate oldDueDate) {
}
