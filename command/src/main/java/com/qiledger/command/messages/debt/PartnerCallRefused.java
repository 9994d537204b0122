package com.qiledger.command.messages.debt;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The provider refused the call (a {@code 4xx}); its status and body are kept exactly. No retry follows.
 * {@code occurredAt} is when the ledger got the answer; {@code stateAfter} the call's state then.
 */
@Revision("1")
public record PartnerCallRefused(
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
