package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qiledger.api.qitech.ProviderJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 26's hostile-input suite, through the whole stack (intake, events, every projection) on the
 * embedded PostgreSQL: each delivery is answered 200 within 1 s, is either applied with values
 * inside the limits or quarantined with a reason naming what is wrong, and afterwards every
 * processor reaches the head of the event store with no dead letter. The limits are
 * {@link com.qiledger.api.qitech.ProviderLimits}'s (docs/hostile-input.md).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class HostileInputEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-hostile-input");
    /** The bound of the issue, on the service's own time from the body read to the answer (its intake timer). */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);
    /** As the client sees it, scheduling on a busy 2-core machine included. */
    static final Duration CLIENT_WAIT_WITHIN = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    /** The seed paid slip with a fresh key and {@code "paid_amount": <token>} exactly as given. */
    static String paidWith(String field, String token) {
        String body = new String(Webhooks.read("bank-slip/paid_qr_code.json"), StandardCharsets.UTF_8)
                .replace("505fd25f-89cf-40ca-927c-3800f207146a", UUID.randomUUID().toString());
        String replaced = body.replaceFirst("\"" + field + "\": [^,\\n]+", java.util.regex.Matcher.quoteReplacement(
                "\"" + field + "\": " + token));
        assertThat(replaced).as("the seed has a %s to replace", field).isNotEqualTo(body);
        return replaced;
    }

    /** Posts one delivery, checks the 200 and its time, returns the answer. */
    JsonNode deliver(byte[] body) {
        long started = System.nanoTime();
        JsonNode answer = web.post().uri("/webhooks/qitech").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).as("answered within %s", CLIENT_WAIT_WITHIN).isLessThan(CLIENT_WAIT_WITHIN);
        assertThat(answer.get("outcome").asText()).isIn("applied", "duplicate", "quarantined");
        if (answer.get("outcome").asText().equals("quarantined")) {
            assertThat(answer.get("reason").asText()).isNotBlank();
        }
        return answer;
    }

    JsonNode deliver(String body) {
        return deliver(body.getBytes(StandardCharsets.UTF_8));
    }

    void quarantined(String body, String... reasonSays) {
        quarantined(body.getBytes(StandardCharsets.UTF_8), reasonSays);
    }

    void quarantined(byte[] body, String... reasonSays) {
        JsonNode answer = deliver(body);
        assertThat(answer.get("outcome").asText()).as(answer.toString()).isEqualTo("quarantined");
        assertThat(answer.get("reason").asText()).contains(reasonSays);
        // kept byte for byte
        byte[] kept = web.get().uri("/api/v1/receipts/{r}/body", answer.get("receipt").asText()).exchange()
                .expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(kept).isEqualTo(body);
    }

    JsonNode applied(String body) {
        JsonNode answer = deliver(body);
        assertThat(answer.get("outcome").asText()).as(answer.toString()).isEqualTo("applied");
        return answer;
    }

    /** After every case: all processors at the head, no dead letter, every recorded number inside the limits. */
    @AfterEach
    void theLedgerIsHealthy() {
        assertThat(meters.find("ledger.webhook.intake").timers()).isNotEmpty();
        for (Timer timer : meters.find("ledger.webhook.intake").timers()) {
            assertThat(timer.max(TimeUnit.MILLISECONDS)).as("slowest answer, outcome %s", timer.getId().getTag("outcome"))
                    .isLessThan(ANSWER_WITHIN.toMillis());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = get("/api/v1/projections");
            for (JsonNode processor : status.get("processors")) {
                assertThat(processor.get("lag").asLong()).as(processor.get("name").asText()).isZero();
            }
        });
        for (JsonNode processor : get("/api/v1/projections").get("processors")) {
            assertThat(processor.get("dead_letters").get("count").asInt()).as(processor.get("name").asText()).isZero();
        }
        long outside = count("""
                SELECT count(*) FROM domainevententry,
                    jsonb_path_query(CAST(convert_from(payload, 'UTF8') AS jsonb), 'strict $.**') AS v
                WHERE jsonb_typeof(v) = 'number' AND (abs(v::text::numeric) >= 1e15 OR scale(v::text::numeric) > 8)
                """);
        assertThat(outside).as("numbers outside the amount limits in recorded events").isZero();
    }

    @Test
    void aTinyExponentAmountIsQuarantinedAtOnce() {
        quarantined(paidWith("paid_amount", "1e-999999999"), "paid_amount", "decimals");
    }

    @Test
    void aHugeExponentAmountIsQuarantinedAtOnce() {
        quarantined(paidWith("paid_amount", "1e999999999"), "paid_amount", "integer digits");
    }

    @Test
    void anExponentInAStringAmountIsQuarantined() {
        quarantined(paidWith("paid_amount", "\"1e999999999\""), "'paid_amount' is not a number", "exponent");
        quarantined(paidWith("paid_amount", "\"1e2\""), "'paid_amount' is not a number");
    }

    @Test
    void aThousandDigitAmountIsQuarantined() {
        String digits = "9".repeat(1000);
        quarantined(paidWith("paid_amount", digits), "$.data.paid_amount", "integer digits");
        quarantined(paidWith("paid_amount", "\"" + digits + "\""), "'paid_amount' is not a number");
        quarantined(paidWith("paid_amount", "0." + "1".repeat(150)), "$.data.paid_amount", "decimals");
        // a number token longer than 1,000 characters is refused by the parser before any conversion
        quarantined(paidWith("paid_amount", "9".repeat(5000)), "Number value length (5000) exceeds");
    }

    @Test
    void amountsAtTheLimitsApplyAndOnePastThemIsQuarantined() {
        applied(paidWith("paid_amount", "999999999999999.99999999"));
        applied(paidWith("paid_amount", "\"999999999999999.99999999\""));
        applied(paidWith("paid_amount", "1.5e2"));
        quarantined(paidWith("paid_amount", "1000000000000000"), "'paid_amount' is outside the amount limits",
                "16 integer digits");
        quarantined(paidWith("paid_amount", "0.123456789"), "'paid_amount'", "9 decimals");
        quarantined(paidWith("paid_amount", "\"-1000000000000000.5\""), "'paid_amount'", "16 integer digits");
        quarantined(paidWith("discount_amount", "1e16"), "'discount_amount'", "integer digits");
        // any number, not only amounts: at most 64 digits either side of the point
        quarantined(paidWith("cnab_file_occurrence_order", "1" + "0".repeat(70)), "$.data.cnab_file_occurrence_order");
    }

    @Test
    void nanAndInfinitySpellingsAreQuarantined() {
        for (String token : List.of("NaN", "Infinity", "-Infinity", "+Infinity")) {
            quarantined(paidWith("paid_amount", token), "$.data.paid_amount", "not a decimal");
        }
        for (String token : List.of("\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"0x10\"", "\"1,5\"", "\"\u0661\"")) {
            quarantined(paidWith("paid_amount", token), "'paid_amount' is not a number");
        }
    }

    @Test
    void aNulInAnyTextFieldIsQuarantinedNamingTheField() {
        quarantined(paidWith("name", "\"A\\u0000B\""), "$.data.paid_in.name", "U+0000");
        quarantined(paidWith("origin_type", "\"qr\\u0000\""), "$.data.origin_type", "U+0000");
        // in an unknown member too, and in a member's name: one rule everywhere
        quarantined(paidWith("agent_type", "\"system\", \"extra\": \"\\u0000\""), "$.data.extra", "U+0000");
        quarantined(paidWith("agent_type", "\"system\", \"a\\u0000\": 1"), "a member name holds U+0000");
    }

    @Test
    void loneSurrogatesAreQuarantined() {
        quarantined(paidWith("name", "\"A\\ud800B\""), "$.data.paid_in.name", "lone surrogate");
        quarantined(paidWith("name", "\"\\udc00\""), "$.data.paid_in.name", "lone surrogate");
        // a pair is a character like any other
        applied(paidWith("name", "\"QI \\ud83d\\ude00\""));
    }

    @Test
    void otherControlCharactersAreKept() {
        String body = paidWith("name", "\"A\\u0001B\\tC\\nD\\u001f\"");
        String key = body.replaceAll("(?s).*?\"key\": \"([^\"]+)\".*", "$1");
        JsonNode answer = applied(body);
        JsonNode history = get("/api/v1/bank-slips/{k}/history?minPosition={p}", key, answer.get("position").asLong());
        assertThat(history.findValuesAsText("name")).contains("A\u0001B\tC\nD\u001f");
    }

    @Test
    void invalidAndOverlongUtf8IsQuarantined() {
        byte[] seed = paidWith("name", "\"QI  TECH\"").getBytes(StandardCharsets.UTF_8);
        String text = new String(seed, StandardCharsets.ISO_8859_1);
        // an overlong NUL (C0 80), a lone continuation byte, an encoded surrogate, a byte never in UTF-8
        for (String bad : List.of("\u00c0\u0080", "\u0080", "\u00ed\u00a0\u0080", "\u00ff")) {
            byte[] body = text.replace("QI  TECH", "QI" + bad + "TECH").getBytes(StandardCharsets.ISO_8859_1);
            JsonNode answer = deliver(body);
            assertThat(answer.get("outcome").asText()).as(bad).isEqualTo("quarantined");
        }
    }

    @Test
    void deeplyNestedDocumentsAreQuarantined() {
        quarantined(paidWith("agent_type", "\"system\", \"deep\": " + "[".repeat(65) + "]".repeat(65)),
                "nesting depth");
        // as deep as the body limit allows
        quarantined(paidWith("agent_type", "\"system\", \"deep\": " + "[".repeat(500_000) + "]".repeat(500_000)),
                "nesting depth");
        applied(paidWith("agent_type", "\"system\", \"deep\": " + "{\"a\":".repeat(40) + "1" + "}".repeat(40)));
    }

    @Test
    void veryWideDocumentsWithinTheBodyLimitApply() {
        StringBuilder wide = new StringBuilder("\"system\"");
        for (int i = 0; i < 40_000; i++) {
            wide.append(", \"unknown_").append(i).append("\": ").append(i);
        }
        String body = paidWith("agent_type", wide.toString());
        assertThat(body.length()).isLessThan(1_048_576);
        applied(body);
        StringBuilder array = new StringBuilder("[0");
        for (int i = 1; i < 200_000; i++) {
            array.append(",").append(i % 10);
        }
        applied(paidWith("agent_type", "\"system\", \"wide\": " + array + "]"));
    }

    @Test
    void duplicateKeysAreQuarantinedAsAmbiguous() {
        quarantined(paidWith("paid_amount", "1.00, \"paid_amount\": 1000000.00"), "ambiguous", "paid_amount");
        quarantined(paidWith("status", "\"registered\", \"status\": \"paid\""), "ambiguous", "status");
    }

    @Test
    void overlongTextAndBadKeysAreQuarantined() {
        quarantined(paidWith("our_number", "\"" + "9".repeat(5000) + "\""), "'our_number'", "4096");
        String body = paidWith("name", "\"QI\"");
        String key = body.replaceAll("(?s).*?\"key\": \"([^\"]+)\".*", "$1");
        quarantined(body.replace(key, "k".repeat(300)), "cannot be a key", "1 to 200 characters");
        quarantined(body.replace(key, "k".repeat(201)), "cannot be a key", "1 to 200 characters");
        // at the limits: applied
        applied(body.replace(key, "k".repeat(200)));
        applied(paidWith("our_number", "\"" + "8".repeat(4096) + "\""));
        quarantined(paidWith("our_number", "\"" + "8".repeat(4097) + "\""), "'our_number'", "4096");
        quarantined(body.replace(key, "a/b"), "cannot be a key");
        quarantined(body.replace(key, "a\\u0001b"), "cannot be a key");
        // text a read-model column used to cut short (VARCHAR) is now kept whole
        applied(paidWith("our_number", "\"" + "7".repeat(300) + "\""));
        applied(paidWith("payment_bank", "\"" + "1".repeat(100) + "\""));
    }

    @Test
    void aHostileWebhookTypeOrContentTypeCannotFailTheRecord() {
        quarantined("{\"webhook_type\": \"" + "x".repeat(5000) + "\"}", "'webhook_type' is 5000 characters long");
        quarantined("{\"webhook_type\": \"" + "x".repeat(4000) + "\"}", "unknown webhook_type");
        JsonNode answer = web.post().uri("/webhooks/qitech")
                .header("content-type", "application/json; x=" + "y".repeat(400))
                .bodyValue("{\"webhook_type\": \"nope\"}".getBytes(StandardCharsets.UTF_8))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(answer.get("outcome").asText()).isEqualTo("quarantined");
    }

    @Test
    void tooManyFactsInOneDeliveryAreQuarantined() {
        StringBuilder batches = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            batches.append(i == 0 ? "" : ",").append("{\"payment_order_conciliation_batch_key\": \"")
                    .append(UUID.randomUUID()).append("\", \"payment_order_conciliation_batch_status\": \"open\", "
                            + "\"payment_order_conciliation_batch_type\": \"fixed_amount\", \"account_key\": \"a\", "
                            + "\"total_amount\": 1, \"conciliated_amount\": 1, \"total_payment_orders\": 1, "
                            + "\"conciliated_payment_orders\": 1, \"reference_date\": \"2024-01-01\", "
                            + "\"created_at\": \"2024-01-01T00:00:00Z\"}");
        }
        quarantined("{\"webhook_type\": \"baas.automatic_pix.payment_order_conciliation_batch.creation\", "
                + "\"webhook_datetime\": \"2024-01-01T00:00:00Z\", \"data\": {\"payment_order_conciliation_batches\": ["
                + batches + "]}}", "1001 facts", "at most 1000");
    }

    /**
     * Every member of every seed body of every family, replaced by a value of each other JSON type:
     * answered, applied or quarantined, never a 5xx and never a stalled projection.
     */
    @Test
    void everyFieldOfEveryFamilyWithTheWrongType() {
        List<JsonNode> odd = List.of(JsonNodeFactory.instance.objectNode().put("x", 1),
                JsonNodeFactory.instance.arrayNode().add("x"), JsonNodeFactory.instance.booleanNode(true),
                JsonNodeFactory.instance.textNode("x"), JsonNodeFactory.instance.numberNode(7));
        int delivered = 0;
        for (byte[] seed : Webhooks.all()) {
            JsonNode root;
            try {
                root = ProviderJson.parse(seed);
            } catch (RuntimeException unreadableSeed) {
                continue;
            }
            List<List<Object>> paths = new ArrayList<>();
            paths(root, new ArrayList<>(), paths);
            for (List<Object> path : paths) {
                for (JsonNode value : odd) {
                    JsonNode copy = root.deepCopy();
                    replace(copy, path, value);
                    deliver(bytes(copy));
                    delivered++;
                }
            }
        }
        assertThat(delivered).isGreaterThan(500);
    }

    static void paths(JsonNode node, List<Object> at, List<List<Object>> into) {
        if (!at.isEmpty()) {
            into.add(List.copyOf(at));
        }
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                at.add(name);
                paths(node.get(name), at, into);
                at.remove(at.size() - 1);
            });
        } else if (node.isArray() && !node.isEmpty()) {
            at.add(0);
            paths(node.get(0), at, into);
            at.remove(at.size() - 1);
        }
    }

    static void replace(JsonNode root, List<Object> path, JsonNode value) {
        JsonNode parent = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object step = path.get(i);
            parent = step instanceof String name ? parent.get(name) : parent.get((Integer) step);
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof String name) {
            ((ObjectNode) parent).set(name, value);
        } else {
            ((ArrayNode) parent).set((Integer) last, value);
        }
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
