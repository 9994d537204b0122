package com.qiledger.command.messages.bankslip;

import java.time.Instant;

/** What every bank-slip event says: which slip, which status the provider reported, and both times. */
public interface BankSlipEvent {

    String bankSlipKey();

    BankSlipStatus reportedStatus();

    Instant occurredAt();

    Instant recordedAt();

    BankSlipFacts facts();

    BankSlipStatus statusAfter();

    /** Only a write-off carries a reason. */
    default WriteOffReason writeOffReason() {
        return null;
    }
}
