package com.qiledger.api.platform;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
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
 * enforces; the read and operator endpoints get the summaries and examples their features declare
 * ({@link ApiDocs} beans), by path, so their controllers stay free of documentation annotations.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    /** The name of the bearer security scheme in the description. */
    public static final String BEARER = "bearer";

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
    public OpenAPI ledgerOpenApi(List<ApiDocs> features) {
        Components components = new Components()
                .addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("One token per role: " + Role.AUDITOR.label() + ", " + Role.FINANCE.label()
                                + ", " + Role.OPERATOR.label() + " (ledger.security.tokens.<role>). An operator "
                                + "may also read what an auditor reads."));
        features.forEach(feature -> feature.examples().forEach(components::addExamples));
        return new OpenAPI()
                .info(new Info().title("QI Ledger API").version("v1").description(DESCRIPTION))
                .components(components);
    }

    /** Roles, bearer requirement, 401/403 answers and the features' summaries, written onto every operation. */
    @Bean
    public OpenApiCustomizer accessAndReadDocumentation(List<ApiDocs> features) {
        Map<String, ApiDocs.OperationDoc> docs = new LinkedHashMap<>();
        features.forEach(feature -> docs.putAll(feature.operations()));
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                    .forEach((method, operation) -> document(docs.get(method + " " + path), path, method,
                            operation)));
        };
    }

    static void document(ApiDocs.OperationDoc doc, String path, PathItem.HttpMethod method, Operation operation) {
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

    /** An {@code application/problem+json} body as the service answers it, for examples. */
    public static Map<String, Object> problemExample(String type, int status, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "urn:qi-ledger:problem:" + type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        return problem;
    }

    private static String labels(Set<Role> roles) {
        return roles.stream().map(Role::label).collect(Collectors.joining(", "));
    }
}
