package com.qiledger.command.messages.conciliation;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The provider reported the batch's figures in a webhook other than its creation (updates, closing:
 * types the provider announces but has not yet documented). The figures are recorded as sent;
 * {@code webhookType} says which notice carried them.
 */
@Revision("1")
public record ConciliationBatchFiguresReported(
        String batchKey,
        String webhookType,
        Instant occurredAt,
        Instant recordedAt,
        BatchFigures figures,
        boolean figuresCurrent) implements ConciliationBatchEvent {
}
