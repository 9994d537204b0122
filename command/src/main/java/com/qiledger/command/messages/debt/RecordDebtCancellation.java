package com.qiledger.command.messages.debt;

import com.qiledger.command.messages.common.AggregateIds;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that the operation was {@code canceled} because its disbursement was refused ({@code debt},
 * status {@code canceled}); {@code occurredAt} is its {@code event_datetime}. Every refusal is a fact
 * of its own: the partner may resubmit the disbursement and it may be refused again.
 */
public record RecordDebtCancellation(
        String debtKey,
        Instant occurredAt,
        Instant recordedAt,
        DisbursementRefusal refusal) implements DebtCommand {

    public RecordDebtCancellation {
        Objects.requireNonNull(debtKey, "debtKey");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(refusal, "refusal");
    }

    @Override
    @TargetAggregateIdentifier
    public String aggregateId() {
        return AggregateIds.of(AGGREGATE_TYPE, debtKey);
    }
}
