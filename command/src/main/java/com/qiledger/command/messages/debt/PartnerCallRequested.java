package com.qiledger.command.messages.debt;

/** A call was asked for: who, when, what (see the two kinds). */
public sealed interface PartnerCallRequested extends PartnerCallEvent
        permits PermanentCancellationRequested, DisbursementDateChangeRequested {

    String idempotencyKey();

    String requestedBy();

    /** The exact body to send, or null when the call has none. */
    String requestBody();

    @Override
    default PartnerCallState stateAfter() {
        return PartnerCallState.PENDING;
    }
}
