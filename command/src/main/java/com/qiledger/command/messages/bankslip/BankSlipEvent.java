package com.qiledger.command.messages.bankslip;

import com.qiledger.command.messages.common.LedgerEvent;

/** What every bank-slip event says: which slip, which status the provider reported, and both times. */
public interface BankSlipEvent extends LedgerEvent {

    String bankSlipKey();

    BankSlipStatus reportedStatus();

    BankSlipFacts facts();

    BankSlipStatus statusAfter();

    /** Only a write-off carries a reason. */
    default WriteOffReason writeOffReason() {
        return null;
    }
}
