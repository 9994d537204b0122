package com.qiledger.command.messages.debt;

import com.qiledger.command.messages.common.LedgerEvent;

/**
 * What every debt event says: which debt, both times, and the debt's status once this fact is known
 * (the aggregate decides it; read models only follow).
 */
public sealed interface DebtEvent extends LedgerEvent
        permits CollateralEvent, PrivatePensionReservationFailed, DebtCanceled, DebtCanceledPermanently,
        DebtFactIgnoredAfterFinalState {

    String debtKey();

    DebtStatus statusAfter();
}
