package com.qiledger.command.messages.debt;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The operation was canceled permanently ({@code debt}, status {@code canceled_permanently}): the
 * final state; the collateral is released and no later fact changes the debt.
 */
@Revision("1")
public record DebtCanceledPermanently(
        String debtKey,
        Instant occurredAt,
        Instant recordedAt) implements DebtEvent {

    @Override
    public DebtStatus statusAfter() {
        return DebtStatus.CANCELED_PERMANENTLY;
    }
}
