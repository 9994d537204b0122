package com.qiledger.command.messages.debt;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A fact about a debt that arrived after the debt was canceled permanently: kept, so that auditors
 * see it in the history with its content, but it changes nothing. {@code factType} says which kind of
 * fact it was and {@code occurredAt} is the fact's own provider time; of {@code collateral},
 * {@code reservationFailure} and {@code refusal} at most the one of its kind is set (none for a
 * second permanent cancellation).
 */
@Revision("1")
public record DebtFactIgnoredAfterFinalState(
        String debtKey,
        DebtFactType factType,
        Instant occurredAt,
        Instant recordedAt,
        Collateral collateral,
        ReservationFailure reservationFailure,
        DisbursementRefusal refusal) implements DebtEvent {

    @Override
    public DebtStatus statusAfter() {
        return DebtStatus.CANCELED_PERMANENTLY;
    }
}
