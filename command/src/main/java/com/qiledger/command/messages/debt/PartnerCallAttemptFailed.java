package com.qiledger.command.messages.debt;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * An attempt got no usable answer (a time-out, a connection failure, a {@code 5xx}); another attempt follows after a back-off.
 * {@code occurredAt} is when the ledger got the answer; {@code stateAfter} the call's state then.
 */
@Revision("1")
public record PartnerCallAttemptFailed(
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
