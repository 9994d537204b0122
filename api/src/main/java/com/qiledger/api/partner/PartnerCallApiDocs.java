package com.qiledger.api.partner;

import com.qiledger.api.platform.ApiDocs;
import com.qiledger.api.platform.ApiDocs.OperationDoc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The partner calls' part of the OpenAPI description (issue 22). */
@Configuration(proxyBeanMethods = false)
public class PartnerCallApiDocs {

    static final String COMMON = " Answers `202` with `request_id` (and `Location`) once the request is committed; "
            + "the ledger sends it to the provider after that, signed, with retries and back-off on time-outs and "
            + "`5xx` and none on `4xx`; follow it at `/api/v1/debts/{key}/requests/{id}`. An `Idempotency-Key` "
            + "header makes a repeated call answer the first request (`repeated: true`) instead of asking twice; "
            + "the same key for something else is `409`. `404` for a debt the ledger does not know; `503` naming "
            + "the missing setting (`ledger.provider.base-url`, `.client-key`, `.private-key`) when calls to the "
            + "provider are off.";

    @Bean
    public ApiDocs partnerCallDocs() {
        Map<String, OperationDoc> operations = new LinkedHashMap<>();
        operations.put("POST /api/v1/debts/{key}/cancel-permanently", new OperationDoc(
                "Ask the provider to cancel the debt permanently (seed 004 `cancel_permanently`)",
                "Optional body `{\"reason\": \"…\"}` (kept in the ledger, not sent). `409` when the debt is "
                        + "already canceled permanently or a permanent cancellation is pending or accepted and not "
                        + "yet confirmed by its webhook." + COMMON, null));
        operations.put("POST /api/v1/debts/{key}/change-disbursement-date", new OperationDoc(
                "Ask the provider for a new disbursement date (seed 004 `change_disbursement_date`)",
                "Body as the seed's request: `disbursement_date` (YYYY-MM-DD, not in the past in São Paulo) and "
                        + "`disbursement_bank_accounts[]` with `branch_number`, `account_digit`, `account_number`, "
                        + "`account_type`, `document_number`, `bank_code`, `ispb_number`, `name`, "
                        + "`percentage_receivable` (adding up to 100). `400` names the field (`field`). `409` on a "
                        + "debt canceled permanently or with a permanent cancellation in flight." + COMMON, null));
        operations.put("GET /api/v1/debts/{key}/requests", new OperationDoc(
                "The partner calls of a debt, oldest first",
                "Each call: kind, state (`pending`, `accepted`, `refused`, `gave_up`, `confirmed`), who asked and "
                        + "when, the body sent, every attempt with the provider's status and body as received, and "
                        + "the webhook that confirmed it (`confirming_receipt`).",
                Map.of("debt_key", "5b0e7a52-6c1d-4f0e-9a7b-1c2d3e4f5a6b", "requests", List.of(example()))));
        operations.put("GET /api/v1/debts/{key}/requests/{id}", new OperationDoc("One partner call of a debt",
                "As in the list; `404` when the debt has no such request.", example()));
        operations.put("GET /api/v1/partner-requests", new OperationDoc(
                "The latest partner calls of every debt, newest first",
                "As `GET /api/v1/debts/{key}/requests` lists one debt's, for all debts: `state` keeps one state, "
                        + "`limit` (1 to 500, default 50) how many; `400` `bad-state` / `bad-limit`.",
                Map.of("requests", List.of(example()))));
        return new ApiDocs(Map.of(), operations);
    }

    private static Map<String, Object> example() {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("request_id", "0f8e4b8e-5a57-3b3c-9d55-1f0c2e7a9b41");
        call.put("debt_key", "5b0e7a52-6c1d-4f0e-9a7b-1c2d3e4f5a6b");
        call.put("kind", "cancel_permanently");
        call.put("state", "confirmed");
        call.put("requested_by", "operator");
        call.put("requested_at", "2026-03-10T13:00:00Z");
        call.put("attempts", 2);
        call.put("answer_status", 200);
        call.put("confirmed_by", "permanent_cancellation");
        call.put("confirming_receipt", "7d1f2a90-3b6e-4c1d-8e5f-2a9b0c4d6e71");
        call.put("attempt_log", List.of(
                Map.of("attempt", 1, "outcome", "failed", "status", 503, "answered_at", "2026-03-10T13:00:01Z"),
                Map.of("attempt", 2, "outcome", "accepted", "status", 200, "answered_at", "2026-03-10T13:00:03Z")));
        return call;
    }
}
