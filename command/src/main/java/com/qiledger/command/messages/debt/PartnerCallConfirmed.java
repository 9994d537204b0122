package com.qiledger.command.messages.debt;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The provider's webhook that follows a call arrived: {@code debt} / {@code canceled_permanently} for a
 * permanent cancellation, the next disbursement outcome ({@code debt} / {@code canceled}) for a new
 * disbursement date. {@code confirmedBy} is that webhook's fact and {@code occurredAt} its provider
 * time; the delivery's receipt is in the event's metadata, as for every webhook fact.
 */
@Revision("1")
public record PartnerCallConfirmed(
        String debtKey,
        String requestId,
        PartnerCallKind kind,
        DebtFactType confirmedBy,
        Instant occurredAt,
        Instant recordedAt) implements PartnerCallEvent {

    @Override
    public PartnerCallState stateAfter() {
        return PartnerCallState.CONFIRMED;
    }
}
