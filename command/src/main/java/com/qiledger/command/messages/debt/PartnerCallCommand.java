package com.qiledger.command.messages.debt;

import com.qiledger.command.messages.common.LedgerCommand;

/**
 * A command about one partner call on a debt: asking for it (from an operator) or recording what the
 * provider answered (from the ledger's sender). {@code requestId} names the call for good: every
 * attempt, resends after a restart included, carries it.
 */
public sealed interface PartnerCallCommand extends LedgerCommand
        permits RequestPermanentCancellation, RequestDisbursementDateChange, RecordPartnerCallAnswer {

    String debtKey();

    String requestId();
}
