package com.qiledger.command.messages.installment;

import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.LedgerCommand;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record one status change of an installment as the provider reported it. {@code debtKey} is the
 * webhook's top-level {@code key}, the credit operation the installment belongs to. {@code recordedAt}
 * comes from the caller (the receipt's time) so that handling stays deterministic.
 */
public record RecordInstallmentStatusChange(
        String installmentKey,
        String debtKey,
        Instant recordedAt,
        InstallmentStatusReport report) implements LedgerCommand {

    public RecordInstallmentStatusChange {
        Objects.requireNonNull(installmentKey, "installmentKey");
        Objects.requireNonNull(debtKey, "debtKey");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(report, "report");
    }

    /** See {@link InstallmentStatusReport#latestProviderTime()}. */
    public Instant occurredAt() {
        return report.latestProviderTime();
    }

    @Override
    @TargetAggregateIdentifier
    public String aggregateId() {
        return AggregateIds.of(InstallmentEvent.AGGREGATE_TYPE, installmentKey);
    }
}
