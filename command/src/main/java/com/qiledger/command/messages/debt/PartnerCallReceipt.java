package com.qiledger.command.messages.debt;

/**
 * The answer to a request command: the call's id and whether it was asked for just now
 * ({@code created}) or before, under the same {@code Idempotency-Key} (nothing appended then).
 */
public record PartnerCallReceipt(String requestId, boolean created) {
}
