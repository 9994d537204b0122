package com.qiledger.command.messages.debt;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A disbursement by TED that the receiving bank refused ({@code data.ted_refusal}). Amounts are
 * exact, scale kept; {@code refusedAt} is the refusal's {@code timestamp} (zone-less, São Paulo time).
 * {@code description} may hold the receiver's name and document, so it is personal data too.
 */
public record TedRefusal(
        String transactionKey,
        String description,
        TransferAccount origin,
        TransferAccount destination,
        BigDecimal amount,
        BigDecimal fee,
        String reasonEnumerator,
        String reason,
        Instant refusedAt) {

    @Override
    public String toString() {
        return "TedRefusal[transactionKey=" + transactionKey + ", origin=" + origin + ", destination="
                + destination + ", amount=" + amount + ", fee=" + fee + ", reasonEnumerator=" + reasonEnumerator
                + ", reason=" + reason + ", refusedAt=" + refusedAt + "]";
    }
}
