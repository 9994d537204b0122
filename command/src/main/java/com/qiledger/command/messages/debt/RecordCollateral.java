package com.qiledger.command.messages.debt;

import com.qiledger.command.messages.common.AggregateIds;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record the collateral a {@code credit_operation.collateral} webhook reports; {@code occurredAt} is
 * its {@code event_time}.
 */
public record RecordCollateral(
        String debtKey,
        Instant occurredAt,
        Instant recordedAt,
        Collateral collateral) implements DebtCommand {

    public RecordCollateral {
        Objects.requireNonNull(debtKey, "debtKey");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(collateral, "collateral");
    }

    @Override
    @TargetAggregateIdentifier
    public String aggregateId() {
        return AggregateIds.of(AGGREGATE_TYPE, debtKey);
    }
}
