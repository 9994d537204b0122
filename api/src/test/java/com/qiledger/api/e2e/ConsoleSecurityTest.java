package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * The web console's rules without a browser: its page shell and assets pass without a token and carry
 * the Content-Security-Policy, nothing else under {@code /console} is open, every {@code /api/v1} call
 * it makes still needs a token, and the two calls added for it ({@code /api/v1/me},
 * {@code /api/v1/lookup}) answer by role. The browser side is {@link ConsoleBrowserTest}.
 */
class ConsoleSecurityTest extends TokenGuardedService {

    /** The seed's DDA registration under a key and bar code of its own (ConsoleBrowserTest has the seed's). */
    static final String DDA_KEY = "3f0c9d1e-7a2b-4c5d-8e6f-0a1b2c3d4e5f";
    static final String DDA_BARCODE = "23793000000001000000500000001234567890123456";
    static final String DDA_LINE = "23793000000001000000500000001234567890123456123";

    EntityExchangeResult<byte[]> call(HttpMethod method, String uri, String token) {
        return web.method(method).uri(uri)
                .headers(headers -> {
                    if (token != null) {
                        headers.setBearerAuth(token);
                    }
                })
                .exchange().expectBody().returnResult();
    }

    static String text(EntityExchangeResult<byte[]> result) {
        return result.getResponseBody() == null ? "" : new String(result.getResponseBody(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console", "/console/", "/console/operations", "/console/reconciliation?from=2024-01-01&to=2024-01-31",
        "/console/ledger?from=2024-01-01&to=2024-01-31", "/console/bank-slips/505fd25f-89cf-40ca-927c-3800f207146a",
        "/console/debts/a-debt-key", "/console/receipts/00000000-0000-4000-8000-000000000001"})
    void everyPageAddressServesTheShellWithoutATokenAndWithThePolicy(String uri) {
        for (String token : new String[] {null, "not-a-token", FINANCE}) {
            EntityExchangeResult<byte[]> result = call(HttpMethod.GET, uri, token);
            assertThat(result.getStatus().value()).as(uri + " with " + token).isEqualTo(200);
            assertThat(result.getResponseHeaders().getContentType().isCompatibleWith(MediaType.TEXT_HTML)).isTrue();
            assertThat(text(result)).contains("<script type=\"module\" src=\"/console/assets/app.js\"></script>");
            assertStrictPolicy(result);
        }
    }

    static void assertStrictPolicy(EntityExchangeResult<byte[]> result) {
        String policy = result.getResponseHeaders().getFirst("Content-Security-Policy");
        assertThat(policy).as("Content-Security-Policy of " + result.getUrl())
                .contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                        "frame-ancestors 'none'", "base-uri 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "*");
        assertThat(result.getResponseHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(result.getResponseHeaders().getFirst("X-Frame-Options")).isEqualTo("DENY");
    }

    @Test
    void theAssetsPassWithoutATokenWithTheirTypes() {
        EntityExchangeResult<byte[]> script = call(HttpMethod.GET, "/console/assets/app.js", null);
        assertThat(script.getStatus().value()).isEqualTo(200);
        assertThat(script.getResponseHeaders().getContentType().toString()).contains("javascript");
        assertStrictPolicy(script);
        EntityExchangeResult<byte[]> style = call(HttpMethod.GET, "/console/assets/console.css", "not-a-token");
        assertThat(style.getStatus().value()).isEqualTo(200);
        assertThat(style.getResponseHeaders().getContentType().toString()).startsWith("text/css");
        assertThat(call(HttpMethod.GET, "/webjars/uplot/dist/uPlot.iife.min.js", null).getStatus().value())
                .as("the chart library, from its webjar").isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/console/assets/missing.js", null).getStatus().value()).isEqualTo(404);
    }

    @Test
    void nothingButReadingTheConsoleIsOpen() {
        assertThat(call(HttpMethod.POST, "/console", null).getStatus().value()).isEqualTo(401);
        assertThat(call(HttpMethod.POST, "/console/operations", OPERATOR).getStatus().value()).isEqualTo(403);
        assertThat(call(HttpMethod.DELETE, "/console/assets/app.js", OPERATOR).getStatus().value()).isEqualTo(403);
        assertThat(call(HttpMethod.GET, "/consoleX", null).getStatus().value()).isEqualTo(401);
        // what the console shows comes from /api/v1, which needs a token whatever page asks
        assertThat(call(HttpMethod.GET, "/api/v1/projections", null).getStatus().value()).isEqualTo(401);
        assertThat(call(HttpMethod.GET, "/api/v1/lookup?q=x", null).getStatus().value()).isEqualTo(401);
    }

    /** The shell and the scripts carry no inline code and write no payload as markup. */
    @Test
    void theConsoleHasNoInlineCodeAndNeverWritesMarkup() throws IOException {
        String shell = resource("console/index.html");
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(shell).find()).as("inline script").isFalse();
        assertThat(Pattern.compile("\\s(style|on[a-z]+)=", Pattern.CASE_INSENSITIVE).matcher(shell).find()).isFalse();
        assertThat(shell).doesNotContain("http://", "https://");
        for (String script : List.of("app.js", "core.js", "find.js", "entity.js", "receipt.js", "proof.js",
                "reconciliation.js", "ledger.js", "operations.js", "charts.js")) {
            String code = resource("console/assets/" + script);
            assertThat(code).as(script).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML",
                    "document.write", "eval(", "new Function", ".style.", "http://", "https://");
        }
    }

    static String resource(String path) throws IOException {
        try (InputStream in = ConsoleSecurityTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void meNamesTheRolesOfTheToken() {
        assertThat(call(HttpMethod.GET, "/api/v1/me", null).getStatus().value()).isEqualTo(401);
        assertThat(call(HttpMethod.GET, "/api/v1/me", "not-a-token").getStatus().value()).isEqualTo(401);
        assertThat(get(HttpMethod.GET, "/api/v1/me", AUDITOR).get("roles").toString()).isEqualTo("[\"auditor\"]");
        assertThat(get(HttpMethod.GET, "/api/v1/me", FINANCE).get("roles").toString()).isEqualTo("[\"finance\"]");
        JsonNode operator = get(HttpMethod.GET, "/api/v1/me", OPERATOR);
        assertThat(operator.get("roles").toString()).isEqualTo("[\"operator\"]");
        assertThat(operator.get("open").asBoolean()).isFalse();
    }

    JsonNode get(HttpMethod method, String uri, String token) {
        return web.method(method).uri(uri).headers(h -> h.setBearerAuth(token)).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    @Test
    void lookupFindsAnEntityByKeyBarcodeOrDigitableLineAndADeliveryByItsReceipt() {
        JsonNode answer = post(new String(Webhooks.read("dda-bank-slip/registration.json"), StandardCharsets.UTF_8)
                .replace("7c52d5f6-9db1-4a3c-bb03-1f76a2e8f9d2", DDA_KEY).replace("00193", "23793")
                .getBytes(StandardCharsets.UTF_8));
        String receipt = answer.get("receipt").asText();
        get(HttpMethod.GET, "/api/v1/dda-bank-slips/" + DDA_KEY + "?minPosition=" + answer.get("position").asLong(),
                AUDITOR);

        String written = " " + DDA_LINE.substring(0, 5) + "." + DDA_LINE.substring(5, 10) + " "
                + DDA_LINE.substring(10, 15) + "." + DDA_LINE.substring(15, 21) + " " + DDA_LINE.substring(21) + " ";
        for (String q : new String[] {DDA_BARCODE, written, DDA_LINE}) {
            JsonNode found = get(HttpMethod.GET, "/api/v1/lookup?q={q}", FINANCE, q);
            assertThat(found.get("matches")).as(q).hasSize(1);
            assertThat(found.get("matches").get(0).get("entity").asText()).isEqualTo("dda-bank-slips");
            assertThat(found.get("matches").get(0).get("key").asText()).isEqualTo(DDA_KEY);
            assertThat(found.get("matches").get(0).get("location").asText())
                    .isEqualTo("/api/v1/dda-bank-slips/" + DDA_KEY);
        }
        assertThat(get(HttpMethod.GET, "/api/v1/lookup?q={q}", FINANCE, DDA_BARCODE).get("matches").get(0)
                .get("matched_by").asText()).isEqualTo("barcode");
        assertThat(get(HttpMethod.GET, "/api/v1/lookup?q={q}", FINANCE, DDA_LINE).get("matches").get(0)
                .get("matched_by").asText()).isEqualTo("digitable_line");

        JsonNode byKey = get(HttpMethod.GET, "/api/v1/lookup?q={q}", AUDITOR, DDA_KEY);
        assertThat(byKey.get("matches")).hasSize(1);
        assertThat(byKey.get("matches").get(0).get("matched_by").asText()).isEqualTo("key");

        JsonNode byReceipt = get(HttpMethod.GET, "/api/v1/lookup?q={q}", OPERATOR, receipt);
        assertThat(byReceipt.get("matches")).hasSize(1);
        assertThat(byReceipt.get("matches").get(0).get("entity").asText()).isEqualTo("receipts");
        assertThat(byReceipt.get("matches").get(0).get("location").asText()).isEqualTo("/api/v1/receipts/" + receipt);

        assertThat(get(HttpMethod.GET, "/api/v1/lookup?q={q}", FINANCE, "no-such-thing").get("matches")).isEmpty();
        assertThat(call(HttpMethod.GET, "/api/v1/lookup?q=", FINANCE).getStatus().value()).isEqualTo(400);
        assertThat(call(HttpMethod.GET, "/api/v1/lookup?q=" + "x".repeat(257), FINANCE).getStatus().value())
                .isEqualTo(400);
    }

    JsonNode get(HttpMethod method, String uri, String token, Object variable) {
        return web.method(method).uri(uri, variable).headers(h -> h.setBearerAuth(token)).exchange().expectStatus()
                .isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    @Test
    void theConsolePagesNeedNoHeaderButKeepTheFrameAndTypeGuards() {
        EntityExchangeResult<byte[]> page = call(HttpMethod.GET, "/console", null);
        assertThat(page.getResponseHeaders().getFirst(HttpHeaders.SET_COOKIE)).as("no cookie, ever").isNull();
        assertThat(page.getResponseHeaders().getFirst("Referrer-Policy")).isEqualTo("no-referrer");
    }
}
