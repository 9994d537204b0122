package com.qiledger.command.messages.debt;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The provider accepted the call (a {@code 2xx}); its answer's body is kept exactly as received.
 * {@code occurredAt} is when the ledger got the answer; {@code stateAfter} the call's state then.
 */
@Revision("1")
public record PartnerCallAccepted(
        String debtKey,
        String requestId,
        PartnerCallKind kind,
        int attempt,
        Integer status,
        String responseBody,
        String error,
        Instant occurredAt,
        Instant recordedAt,
        PartnerCallState stateAfter) implements PartnerCallAnswered {
}
