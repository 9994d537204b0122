package com.qiledger.api.config;

import com.qiledger.api.security.AccessRules;
import com.qiledger.api.security.Role;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * The OpenAPI description at {@code /v3/api-docs} (browsable at {@code /swagger-ui.html}). Who may
 * call each operation is written from {@link AccessRules}, the same table the security filter
 * enforces; the read and operator endpoints get their summaries and examples here, by path, so
 * their controllers stay free of documentation annotations.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    /** The name of the bearer security scheme in the description. */
    public static final String BEARER = "bearer";

    /** Reusable examples of the intake answer, referenced by the webhook operation. */
    public static final String APPLIED = "#/components/examples/intake-applied";
    public static final String DUPLICATE = "#/components/examples/intake-duplicate";
    public static final String QUARANTINED = "#/components/examples/intake-quarantined";
    public static final String UNAUTHENTIC = "#/components/examples/intake-unauthentic";
    public static final String TOO_LARGE = "#/components/examples/intake-too-large";
    public static final String NOT_JSON = "#/components/examples/intake-not-json";
    public static final String STORE_UNAVAILABLE = "#/components/examples/intake-store-unavailable";

    private static final String DESCRIPTION = """
            Event-sourced ledger of QI Tech (BaaS) webhooks.

            **Intake.** The provider posts every webhook to `POST /webhooks/qitech`. A `200` is sent only \
            after the delivery is committed to PostgreSQL; its `outcome` is `applied` (events appended, \
            `position` is the global position of the last one), `duplicate` (already recorded) or \
            `quarantined` (authentic and kept byte for byte, but not applied; `reason` says why). Intake is \
            authenticated by the provider's signature scheme, not by a bearer token.

            **Reads.** Everything under `/api/v1` needs `Authorization: Bearer <token>`, one token per role, \
            set by `ledger.security.tokens.auditor`, `ledger.security.tokens.finance` and \
            `ledger.security.tokens.operator`:

            | role | may |
            |---|---|
            | auditor | current state, state `asOf` an instant, entity history, receipts and their raw bodies |
            | finance | current state, reports, ledger entries |
            | operator | what an auditor may, plus the quarantine list, re-drives, projections, dead letters, metrics |

            A missing or unknown token is `401`, a token of the wrong role `403`, both as \
            `application/problem+json`. Every read accepts `minPosition=<n>` and waits (at most \
            `ledger.query.max-wait`) until the read models have processed that position, else `503` with \
            `Retry-After`. JSON field names are snake_case.
            """;

    @Bean
    public OpenAPI ledgerOpenApi() {
        Components components = new Components()
                .addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("One token per role: " + Role.AUDITOR.label() + ", " + Role.FINANCE.label()
                                + ", " + Role.OPERATOR.label() + " (ledger.security.tokens.<role>). An operator "
                                + "may also read what an auditor reads."));
        intakeExamples().forEach(components::addExamples);
        return new OpenAPI()
                .info(new Info().title("QI Ledger API").version("v1").description(DESCRIPTION))
                .components(components);
    }

    /** Roles, bearer requirement, 401/403 answers and summaries, written onto every operation. */
    @Bean
    public OpenApiCustomizer accessAndReadDocumentation() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                    .forEach((method, operation) -> document(path, method, operation)));
        };
    }

    static void document(String path, PathItem.HttpMethod method, Operation operation) {
        ReadDoc doc = READ_DOCS.get(method + " " + path);
        if (doc != null) {
            if (operation.getSummary() == null) {
                operation.setSummary(doc.summary());
            }
            if (operation.getDescription() == null) {
                operation.setDescription(doc.description());
            }
            if (doc.example() != null) {
                ApiResponse ok = response(operation, "200", "OK");
                if (ok.getContent() == null || ok.getContent().isEmpty()) {
                    ok.setContent(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                            new MediaType().schema(new Schema<>().type("object"))));
                }
                ok.getContent().values().stream()
                        .filter(media -> media.getExample() == null && media.getExamples() == null)
                        .forEach(media -> media.setExample(doc.example()));
            }
        }
        HttpMethod http = HttpMethod.valueOf(method.name());
        AccessRules.Access access = AccessRules.STANDARD.decide(http, path, null);
        if (access.open()) {
            operation.setSecurity(List.of());
            return;
        }
        operation.setSecurity(List.of(new SecurityRequirement().addList(BEARER)));
        String who = access.denied() ? "No role may call this operation."
                : "Roles: " + labels(access.roles()) + ".";
        MultiValueMap<String, String> asOf = new LinkedMultiValueMap<>();
        asOf.add("asOf", "");
        AccessRules.Access withAsOf = AccessRules.STANDARD.decide(http, path, asOf);
        if (!withAsOf.equals(access)) {
            who += " With `asOf`: " + labels(withAsOf.roles()) + ".";
        }
        String described = operation.getDescription();
        if (described == null) {
            operation.setDescription(who);
        } else if (!described.endsWith(who)) {
            operation.setDescription(described + "\n\n" + who);
        }
        problem(response(operation, "401", "Missing or unknown bearer token"), "missing-token", 401,
                "Unauthorized", "this request needs Authorization: Bearer <token>");
        problem(response(operation, "403", "The token's role may not make this request"), "insufficient-role", 403,
                "Forbidden", "this request needs role auditor or operator; the token is for finance");
    }

    private static ApiResponse response(Operation operation, String status, String description) {
        if (operation.getResponses() == null) {
            operation.setResponses(new ApiResponses());
        }
        return operation.getResponses().computeIfAbsent(status, s -> new ApiResponse().description(description));
    }

    private static void problem(ApiResponse response, String type, int status, String title, String detail) {
        if (response.getContent() == null) {
            response.setContent(new Content().addMediaType(
                    org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    new MediaType().example(problemExample(type, status, title, detail))));
        }
    }

    static Map<String, Object> problemExample(String type, int status, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:qi-ledger:problem:" + type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        return problem;
    }

    static Map<String, Example> intakeExamples() {
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

    private static Example example(String summary, Object value) {
        return new Example().summary(summary).value(value);
    }

    private static String labels(Set<Role> roles) {
        return roles.stream().map(Role::label).collect(Collectors.joining(", "));
    }

    /** What the read and operator endpoints do, by {@code METHOD path} as springdoc lists them. */
    record ReadDoc(String summary, String description, Object example) {
    }

    private static final Map<String, ReadDoc> READ_DOCS = Map.of(
            "GET /api/v1/{entity}/{key}", new ReadDoc("Current state of one entity",
                    "`entity` is one of `bank-slips`, `dda-bank-slips`, `installments`, `conciliation-batches`, "
                            + "`debts`; `404` (problem+json) when the ledger does not know the key. With "
                            + "`asOf=<ISO-8601 instant>`, the state as the ledger knew it at that recorded time.",
                    null),
            "GET /api/v1/{entity}/{key}/history", new ReadDoc("Every event of one entity, in order",
                    "Position, sequence, type, recorded time, effective time (the provider's event time), the "
                            + "event's data and the receipt it came from; `404` when the entity has no event.",
                    null),
            "GET /api/v1/receipts/{receipt}", new ReadDoc("One delivery as received",
                    "The raw body (as text when valid UTF-8, and base64), received time, outcome, reason, attempts "
                            + "counted, the events it caused and its re-drives.", null),
            "GET /api/v1/receipts/{receipt}/body", new ReadDoc("The raw body of one delivery, byte for byte",
                    "As `application/octet-stream`; the original content type is in `X-Original-Content-Type`.",
                    null),
            "GET /api/v1/receipts", new ReadDoc("Receipts oldest first, paged (the quarantine with "
                    + "`outcome=quarantined`)", "`limit` (1..500, default 50) and `after=<receipt>` page through; "
                    + "`next_after` continues the list, `null` at its end. Bodies are left out.", null),
            "POST /api/v1/receipts/{receipt}/redrive", new ReadDoc("Apply a quarantined delivery again",
                    "Through the current code; the answer has the intake's shape. `409` when the receipt is not "
                            + "quarantined, `404` when unknown.",
                    answer("7d1f2a90-3b6e-4c1d-8e5f-2a9b0c4d6e71", "applied", 1077L, null)));
}
