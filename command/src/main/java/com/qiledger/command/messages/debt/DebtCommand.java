package com.qiledger.command.messages.debt;

import com.qiledger.command.messages.common.LedgerCommand;
import java.time.Instant;

/**
 * What every command on a debt says: which debt (the provider's top-level {@code key}, the debt key),
 * when the fact happened at the provider, and when the ledger received it ({@code recordedAt} comes
 * from the caller, the receipt's time, so that handling stays deterministic).
 */
public sealed interface DebtCommand extends LedgerCommand
        permits RecordCollateral, RecordReservationFailure, RecordDebtCancellation, RecordDebtCanceledPermanently {

    /** The aggregate type, prefix of every debt's stream id. */
    String AGGREGATE_TYPE = "Debt";

    String debtKey();

    Instant occurredAt();

    Instant recordedAt();
}
