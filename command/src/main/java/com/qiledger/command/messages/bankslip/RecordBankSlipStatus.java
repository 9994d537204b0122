package com.qiledger.command.messages.bankslip;

import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.LedgerCommand;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record one status change of a slip as the provider reported it. {@code recordedAt} comes from the
 * caller (the receipt's time) so that handling stays deterministic.
 */
public record RecordBankSlipStatus(
        String bankSlipKey,
        BankSlipStatus status,
        Instant occurredAt,
        Instant recordedAt,
        BankSlipFacts facts,
        WriteOffReason writeOffReason) implements LedgerCommand {

    public RecordBankSlipStatus {
        Objects.requireNonNull(bankSlipKey, "bankSlipKey");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(facts, "facts");
    }

    @Override
    @TargetAggregateIdentifier
    public String aggregateId() {
        return AggregateIds.of("BankSlip", bankSlipKey);
    }
}
