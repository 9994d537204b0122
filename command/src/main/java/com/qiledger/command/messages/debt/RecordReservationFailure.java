package com.qiledger.command.messages.debt;

import com.qiledger.command.messages.common.AggregateIds;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that the private-pension reservation failed ({@code private_pension_failed_reservation});
 * {@code occurredAt} is its {@code event_datetime}.
 */
public record RecordReservationFailure(
        String debtKey,
        Instant occurredAt,
        Instant recordedAt,
        ReservationFailure failure) implements DebtCommand {

    public RecordReservationFailure {
        Objects.requireNonNull(debtKey, "debtKey");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(failure, "failure");
    }

    @Override
    @TargetAggregateIdentifier
    public String aggregateId() {
        return AggregateIds.of(AGGREGATE_TYPE, debtKey);
    }
}
