package com.qiledger.command.messages.conciliation;

import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.LedgerCommand;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record what one webhook says about one conciliation batch. One creation webhook lists several
 * batches and becomes one command per batch. {@code occurredAt} is the webhook's
 * {@code webhook_datetime}; {@code recordedAt} comes from the caller (the receipt's time) so that
 * handling stays deterministic.
 */
public record RecordConciliationBatch(
        String batchKey,
        String webhookType,
        Instant occurredAt,
        Instant recordedAt,
        BatchFigures figures) implements LedgerCommand {

    /** The webhook type that announces new batches; every other type reports figures of a known one. */
    public static final String CREATION = "baas.automatic_pix.payment_order_conciliation_batch.creation";

    public RecordConciliationBatch {
        Objects.requireNonNull(batchKey, "batchKey");
        Objects.requireNonNull(webhookType, "webhookType");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(figures, "figures");
    }

    public boolean isCreation() {
        return CREATION.equals(webhookType);
    }

    @Override
    @TargetAggregateIdentifier
    public String aggregateId() {
        return AggregateIds.of("ConciliationBatch", batchKey);
    }
}
