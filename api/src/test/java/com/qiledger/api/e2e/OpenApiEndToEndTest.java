package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/** The OpenAPI description and its browsable UI, served without a token. */
class OpenApiEndToEndTest extends TokenGuardedService {

    JsonNode description() {
        return web.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody();
    }

    @Test
    void theDescriptionListsTheIntakeAndTheReadsWithTheBearerScheme() {
        JsonNode api = description();
        assertThat(api.at("/info/title").asText()).isEqualTo("QI Ledger API");
        assertThat(api.at("/info/description").asText()).contains("ledger.security.tokens.auditor");
        JsonNode bearer = api.at("/components/securitySchemes/bearer");
        assertThat(bearer.get("type").asText()).isEqualTo("http");
        assertThat(bearer.get("scheme").asText()).isEqualTo("bearer");

        JsonNode intake = api.at("/paths/~1webhooks~1qitech/post");
        assertThat(intake.isMissingNode()).isFalse();
        assertThat(intake.get("security")).as("the intake is not bearer-protected").isEmpty();

        JsonNode entity = api.at("/paths/~1api~1v1~1{entity}~1{key}/get");
        assertThat(entity.isMissingNode()).isFalse();
        assertThat(entity.at("/security/0/bearer").isArray()).isTrue();
        assertThat(entity.get("description").asText())
                .contains("Roles: auditor, finance, operator.")
                .contains("With `asOf`: auditor, operator.");
        assertThat(entity.at("/responses/401/content/application~1problem+json/example/type").asText())
                .isEqualTo("urn:qi-ledger:problem:missing-token");
        assertThat(entity.has("summary")).isTrue();

        assertThat(api.at("/paths/~1api~1v1~1receipts/get/description").asText()).contains("Roles: operator.");
        JsonNode redrive = api.at("/paths/~1api~1v1~1receipts~1{receipt}~1redrive/post");
        assertThat(redrive.get("description").asText()).contains("Roles: operator.");
        assertThat(redrive.at("/responses/200/content").elements().next().at("/example/outcome").asText())
                .isEqualTo("applied");
        assertThat(api.at("/paths/~1api~1v1~1{entity}~1{key}~1history/get/description").asText())
                .contains("Roles: auditor, operator.");
    }

    @Test
    void theIntakeDocumentsEachAnswerWithExamples() {
        JsonNode api = description();
        JsonNode responses = api.at("/paths/~1webhooks~1qitech/post/responses");
        assertThat(responses.fieldNames()).toIterable().contains("200", "401", "413", "415", "503");
        JsonNode examples = responses.at("/200/content/application~1json/examples");
        assertThat(examples.fieldNames()).toIterable().contains("applied", "duplicate", "quarantined");
        for (String outcome : new String[] {"applied", "duplicate", "quarantined"}) {
            String ref = examples.get(outcome).get("$ref").asText();
            JsonNode example = api.at(ref.substring(1));
            assertThat(example.at("/value/outcome").asText()).as(ref).isEqualTo(outcome);
        }
        for (String status : new String[] {"401", "413", "415", "503"}) {
            JsonNode content = responses.at("/" + status + "/content/application~1problem+json/examples");
            String ref = content.elements().next().get("$ref").asText();
            assertThat(api.at(ref.substring(1) + "/value/status").asInt()).as(ref).isEqualTo(Integer.parseInt(status));
        }
    }

    @Test
    void theBrowsableUiAnswers() {
        URI uri = URI.create("/swagger-ui.html");
        EntityExchangeResult<byte[]> result = web.get().uri(uri.toString()).exchange().expectBody().returnResult();
        for (int redirects = 0; result.getStatus().is3xxRedirection() && redirects < 3; redirects++) {
            uri = uri.resolve(result.getResponseHeaders().getFirst(HttpHeaders.LOCATION));
            result = web.get().uri(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                    .exchange().expectBody().returnResult();
        }
        assertThat(result.getStatus().value()).as(uri.toString()).isEqualTo(200);
        assertThat(new String(result.getResponseBody(), java.nio.charset.StandardCharsets.UTF_8))
                .containsIgnoringCase("swagger");
    }
}
