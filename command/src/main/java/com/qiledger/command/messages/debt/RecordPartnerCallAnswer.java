package com.qiledger.command.messages.debt;

import com.qiledger.command.messages.common.AggregateIds;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record what attempt {@code attempt} of a partner call came to: the provider's HTTP status and
 * body exactly as received (null when no answer came), or the {@code error} that stood for one
 * (time-out, connection refused). {@code answeredAt} is when the ledger got it.
 */
public record RecordPartnerCallAnswer(
        String debtKey,
        String requestId,
        int attempt,
        PartnerCallOutcome outcome,
        Integer status,
        String responseBody,
        String error,
        Instant answeredAt) implements PartnerCallCommand {

    public RecordPartnerCallAnswer {
        Objects.requireNonNull(debtKey, "debtKey");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(answeredAt, "answeredAt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1");
        }
    }

    @Override
    @TargetAggregateIdentifier
    public String aggregateId() {
        return AggregateIds.of(DebtCommand.AGGREGATE_TYPE, debtKey);
    }
}
