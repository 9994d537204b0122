package com.qiledger.command.messages.bankslip;

import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record one status change of a slip as the provider reported it. {@code recordedAt} comes from the
 * caller (the receipt's time) so that handling stays deterministic.
 */
public record RecordBankSlipStatus(
        @TargetAggregateIdentifier String bankSlipKey,
        BankSlipStatus status,
        Instant occurredAt,
        Instant recordedAt,
        BankSlipFacts facts,
        WriteOffReason writeOffReason) {

    public RecordBankSlipStatus {
        Objects.requireNonNull(bankSlipKey, "bankSlipKey");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(facts, "facts");
    }
}
