package com.qiledger.command.messages.installment;

import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.LedgerCommand;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record the billing of one installment from an {@code update} webhook. One webhook lists several
 * installments and becomes one command per element; each is idempotent on its own installment, so a
 * resend after a partial failure completes what was missing and doubles nothing. The webhook carries
 * no time, so neither does the fact.
 */
public record RecordInstallmentBilling(
        String installmentKey,
        String debtKey,
        Instant recordedAt,
        InstallmentBilling billing) implements LedgerCommand {

    public RecordInstallmentBilling {
        Objects.requireNonNull(installmentKey, "installmentKey");
        Objects.requireNonNull(debtKey, "debtKey");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(billing, "billing");
    }

    @Override
    @TargetAggregateIdentifier
    public String aggregateId() {
        return AggregateIds.of(InstallmentEvent.AGGREGATE_TYPE, installmentKey);
    }
}
