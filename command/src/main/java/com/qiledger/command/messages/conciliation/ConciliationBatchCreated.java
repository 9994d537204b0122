package com.qiledger.command.messages.conciliation;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The provider reported that the batch was created ({@code
 * baas.automatic_pix.payment_order_conciliation_batch.creation}). {@code occurredAt} is the webhook's
 * {@code webhook_datetime}, {@code recordedAt} the ledger's time.
 */
@Revision("1")
public record ConciliationBatchCreated(
        String batchKey,
        Instant occurredAt,
        Instant recordedAt,
        BatchFigures figures,
        boolean figuresCurrent) implements ConciliationBatchEvent {

    @Override
    public String webhookType() {
        return RecordConciliationBatch.CREATION;
    }
}
