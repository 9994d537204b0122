package com.qiledger.api.intake;

import static com.qiledger.api.platform.ApiDocs.example;
import static com.qiledger.api.platform.OpenApiConfig.problemExample;

import com.qiledger.api.platform.ApiDocs.OperationDoc;
import com.qiledger.api.platform.ApiDocs;
import io.swagger.v3.oas.models.examples.Example;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The intake's part of the OpenAPI description: the examples of every answer of
 * {@code POST /webhooks/qitech} (referenced by {@link WebhookController}'s annotations), and what
 * the quarantine's list and re-drive do.
 */
@Configuration(proxyBeanMethods = false)
public class IntakeApiDocs {

    /** Reusable examples of the intake answer, referenced by the webhook operation. */
    static final String APPLIED = "#/components/examples/intake-applied";
    static final String DUPLICATE = "#/components/examples/intake-duplicate";
    static final String QUARANTINED = "#/components/examples/intake-quarantined";
    static final String UNAUTHENTIC = "#/components/examples/intake-unauthentic";
    static final String TOO_LARGE = "#/components/examples/intake-too-large";
    static final String NOT_JSON = "#/components/examples/intake-not-json";
    static final String STORE_UNAVAILABLE = "#/components/examples/intake-store-unavailable";

    @Bean
    public ApiDocs intakeDocs() {
        return new ApiDocs(examples(), Map.of(
                "GET /api/v1/receipts", new OperationDoc("Receipts oldest first, paged (the quarantine with "
                        + "`outcome=quarantined`)", "`limit` (1..500, default 50) and `after=<receipt>` page through; "
                        + "`next_after` continues the list, `null` at its end. Bodies are left out.", null),
                "POST /api/v1/receipts/{receipt}/redrive", new OperationDoc("Apply a quarantined delivery again",
                        "Through the current code; the answer has the intake's shape. `409` when the receipt is not "
                                + "quarantined, `404` when unknown.",
                        answer("7d1f2a90-3b6e-4c1d-8e5f-2a9b0c4d6e71", "applied", 1077L, null)),
                "GET /api/v1/receipts/{receipt}/signature", new OperationDoc(
                        "Verify the provider's stored signature of one delivery again, now",
                        "With `qitech-es512` the ledger keeps each delivery's `AUTHORIZATION` and `API-CLIENT-KEY` "
                                + "headers, method and URI with its receipt. `valid` is `true` when the stored token "
                                + "still verifies the stored body under the configured `ledger.webhook.public-key` "
                                + "(its age is not checked: a kept signature is old by design), `false` with the "
                                + "failed `check` and a `reason` otherwise, `null` when the service has no provider key. "
                                + "`stored` is `false` for a delivery kept without a signature. `404` when unknown.",
                        null)));
    }

    static Map<String, Example> examples() {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("intake-applied", example("Applied: the events are appended", answer(
                "0b9e3c1e-5f0a-4d55-9a77-3c2f1f9e8a11", "applied", 1042L, null)));
        examples.put("intake-duplicate", example("Duplicate: already recorded; the original receipt and position",
                answer("0b9e3c1e-5f0a-4d55-9a77-3c2f1f9e8a11", "duplicate", 1042L, null)));
        examples.put("intake-quarantined", example("Quarantined: kept byte for byte, not applied", answer(
                "7d1f2a90-3b6e-4c1d-8e5f-2a9b0c4d6e71", "quarantined", null,
                "data.installments[1]: required field 'installment_key' is missing")));
        examples.put("intake-unauthentic", example("The signature check failed; nothing recorded",
                withCheck(problemExample("authentication-failed", 401, "Unauthorized",
                        "authentication failed: signature (the signature does not verify)"), "signature")));
        examples.put("intake-too-large", example("Body over ledger.webhook.max-body-bytes", problemExample(
                "payload-too-large", 413, "Payload Too Large", "webhook bodies are limited to 1048576 bytes")));
        examples.put("intake-not-json", example("Content type is not JSON", problemExample(
                "unsupported-media-type", 415, "Unsupported Media Type",
                "webhook bodies must be JSON, not text/plain")));
        examples.put("intake-store-unavailable", example("The store cannot commit; nothing acknowledged, resend",
                problemExample("store-unavailable", 503, "Service Unavailable",
                        "the store cannot commit right now; nothing was acknowledged, resend later")));
        return examples;
    }

    private static Map<String, Object> answer(String receipt, String outcome, Long position, String reason) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("receipt", receipt);
        answer.put("outcome", outcome);
        answer.put("position", position);
        answer.put("reason", reason);
        return answer;
    }

    private static Map<String, Object> withCheck(Map<String, Object> problem, String check) {
        problem.put("check", check);
        return problem;
    }
}
