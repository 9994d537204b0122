package com.qiledger.query.debt;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A partner call as operators see it: what was asked ({@code kind}, by whom, when, the exact body sent),
 * its {@code state} ({@code pending}, {@code accepted}, {@code refused}, {@code gave_up},
 * {@code confirmed}), every attempt's answer, the last answer kept exactly as the provider sent it, and
 * the webhook that confirmed it (its fact and receipt). {@code requestBody} (the exact text sent, null
 * when the call has no body) and the answers' bodies are text exactly as sent and received, byte for
 * byte in UTF-8: decimals, spacing and key order as the provider wrote them.
 */
public record PartnerRequestView(
        String requestId,
        String debtKey,
        String kind,
        String state,
        String idempotencyKey,
        String requestedBy,
        Instant requestedAt,
        String reason,
        LocalDate disbursementDate,
        String requestBody,
        int attempts,
        Instant answeredAt,
        Integer answerStatus,
        String answerBody,
        String answerError,
        Instant confirmedAt,
        String confirmedBy,
        String confirmingReceipt,
        List<Attempt> attemptLog,
        long lastPosition) {

    public PartnerRequestView {
        attemptLog = List.copyOf(attemptLog);
    }

    /** One recorded answer: {@code outcome} is {@code accepted}, {@code refused}, {@code failed} or {@code gave_up}. */
    public record Attempt(int attempt, String outcome, Integer status, String body, String error,
                          Instant answeredAt, long position) {
    }
}
