package com.qiledger.command.messages.debt;

import com.qiledger.command.messages.common.AggregateIds;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that the operation was canceled permanently ({@code debt}, status {@code canceled_permanently},
 * after the partner's {@code POST /debt/{key}/cancel_permanently}): final, the collateral is released.
 * {@code occurredAt} is its {@code event_datetime}.
 */
public record RecordDebtCanceledPermanently(
        String debtKey,
        Instant occurredAt,
        Instant recordedAt) implements DebtCommand {

    public RecordDebtCanceledPermanently {
        Objects.requireNonNull(debtKey, "debtKey");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }

    @Override
    @TargetAggregateIdentifier
    public String aggregateId() {
        return AggregateIds.of(AGGREGATE_TYPE, debtKey);
    }
}
