package com.qiledger.command.messages.installment;

import com.qiledger.command.messages.common.LedgerEvent;

/** What every installment event says: which installment, which debt it belongs to, and both times. */
public sealed interface InstallmentEvent extends LedgerEvent
        permits InstallmentStatusChanged, InstallmentBillingIssued {

    /** The aggregate type of installment streams ({@code Installment:<installment_key>}). */
    String AGGREGATE_TYPE = "Installment";

    String installmentKey();

    /** The webhook's top-level {@code key}: the credit operation (debt) the installment belongs to. */
    String debtKey();
}
