package com.qiledger.command.messages.debt;

import com.qiledger.command.messages.common.LedgerEvent;

/**
 * A step of one partner call on a debt: asked for, an attempt's answer, given up, confirmed by the
 * webhook. {@code stateAfter} is the call's state once this step is known (the aggregate decides it;
 * read models only follow). These events change no {@link DebtStatus}: only the provider's webhooks do.
 */
public sealed interface PartnerCallEvent extends LedgerEvent
        permits PartnerCallRequested, PartnerCallAnswered, PartnerCallConfirmed {

    String debtKey();

    String requestId();

    PartnerCallKind kind();

    PartnerCallState stateAfter();
}
