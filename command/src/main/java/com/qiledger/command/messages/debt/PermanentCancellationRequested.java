package com.qiledger.command.messages.debt;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * An operator asked for the debt's permanent cancellation ({@code POST /debt/{key}/cancel_permanently},
 * sent without a body). {@code occurredAt} is when it was asked; {@code reason} the operator's note.
 */
@Revision("1")
public record PermanentCancellationRequested(
        String debtKey,
        String requestId,
        String idempotencyKey,
        String requestedBy,
        Instant occurredAt,
        Instant recordedAt,
        String reason) implements PartnerCallRequested {

    @Override
    public PartnerCallKind kind() {
        return PartnerCallKind.CANCEL_PERMANENTLY;
    }

    @Override
    public String requestBody() {
        return null;
    }
}
