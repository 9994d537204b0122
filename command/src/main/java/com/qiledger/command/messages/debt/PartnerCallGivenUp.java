package com.qiledger.command.messages.debt;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The last attempt failed as the ones before it: no more are made. {@code attempt} is that last
 * attempt; {@code status}, {@code responseBody} and {@code error} what it got. Whether the provider
 * acted on any attempt is unknown: a webhook that follows still confirms the call.
 */
@Revision("1")
public record PartnerCallGivenUp(
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
