package com.qiledger.command.messages.debt;

import com.qiledger.command.messages.common.AggregateIds;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An operator asks the provider to cancel the debt permanently. {@code idempotencyKey} is the
 * operator's {@code Idempotency-Key} (null when none was sent); {@code requestedAt} comes from the
 * caller's clock so that handling stays deterministic. {@code reason} is the operator's own note, kept
 * in the ledger and not sent (the provider's call has no body). Answered with a {@link PartnerCallReceipt}.
 */
public record RequestPermanentCancellation(
        String debtKey,
        String requestId,
        String idempotencyKey,
        String requestedBy,
        Instant requestedAt,
        String reason) implements PartnerCallCommand {

    public RequestPermanentCancellation {
        Objects.requireNonNull(debtKey, "debtKey");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    @Override
    @TargetAggregateIdentifier
    public String aggregateId() {
        return AggregateIds.of(DebtCommand.AGGREGATE_TYPE, debtKey);
    }
}
