package com.qiledger.api.completeness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.qiledger.api.e2e.TestDataDirs;
import com.qiledger.api.provider.ProviderClient;
import com.qiledger.api.provider.ProviderProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 28 against the provider's notification API as a local stub ({@link NotificationApi}) that checks the
 * ES512 signature of every call and, on a resend, posts the event's stored body to this ledger's
 * {@code /webhooks/qitech}. The background sweep is stopped; each test asks for a sweep over HTTP and runs it
 * with {@link CompletenessSweep#runOnce}, so every call the provider receives is one the test caused.
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class CompletenessSweepTest {

    static final Path DATA = TestDataDirs.create("completeness");
    static final NotificationApi PROVIDER = new NotificationApi();
    static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
        registry.add("ledger.provider.base-url", PROVIDER.stub::baseUrl);
        registry.add("ledger.provider.client-key", () -> com.qiledger.api.provider.ProviderStub.CLIENT_KEY);
        registry.add("ledger.provider.private-key",
                () -> com.qiledger.api.provider.ProviderStub.keyFile("partner-ec-private.pem").toString());
        registry.add("ledger.provider.timeout", () -> "3s");
        registry.add("ledger.provider.retry.attempts", () -> "3");
        registry.add("ledger.provider.retry.backoff", () -> "100ms");
        registry.add("ledger.provider.retry.max-backoff", () -> "200ms");
        registry.add("ledger.provider.sweep.interval", () -> "0");
        registry.add("ledger.provider.sweep.degraded-after", () -> "2s");
    }

    @Autowired
    WebTestClient web;

    @Autowired
    CompletenessSweep sweep;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    CompletenessStatus status;

    @Autowired
    ProviderProperties providerSettings;

    @Autowired
    SweepProperties sweepSettings;

    @LocalServerPort
    int port;

    @AfterAll
    static void stopProvider() {
        PROVIDER.close();
    }

    @BeforeEach
    void freshProvider() {
        sweep.stop();
        PROVIDER.reset();
        PROVIDER.webhookUrl = "http://127.0.0.1:" + port + "/webhooks/qitech";
        web = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    /** Every test ends its sweeps; one left open is ended here (so the next test starts clean) and fails its test. */
    @AfterEach
    void noSweepLeftOpen() {
        int open = jdbc.sql("INSERT INTO completeness.sweep_end (sweep_id, ended_at, outcome, error) "
                + "SELECT s.sweep_id, now(), 'stopped', 'left open by a test' FROM completeness.sweep s "
                + "WHERE NOT EXISTS (SELECT 1 FROM completeness.sweep_end e WHERE e.sweep_id = s.sweep_id)").update();
        assertThat(open).as("sweeps left open by this test").isZero();
    }

    // ---- helpers ----

    static byte[] registeredSlip(String key) {
        try (InputStream in = CompletenessSweepTest.class.getResourceAsStream("/webhooks/bank-slip/registered.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("11b13b2c-4204-41b3-8596-2ee7ecbde38c", key).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An event of a bank slip the ledger has not received, created {@code ago} before now. */
    NotificationApi.Event slipEvent(Duration ago, String... statuses) {
        String slip = UUID.randomUUID().toString();
        return PROVIDER.add("ev-" + UUID.randomUUID(), "bank_slip_registered", slip,
                Instant.now().minus(ago), registeredSlip(slip), statuses);
    }

    /** Asks for a sweep over HTTP (from {@code daysBack} days ago to now) and runs it. */
    CompletenessSweep.Ran sweep(int daysBack) {
        askForSweep(daysBack);
        return sweep.runOnce();
    }

    JsonNode askForSweep(int daysBack) {
        String body = "{\"from\": \"" + Instant.now().minus(Duration.ofDays(daysBack)).truncatedTo(ChronoUnit.SECONDS)
                + "\"}";
        return web.post().uri("/api/v1/completeness/sweeps").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    JsonNode report(int daysBack) {
        return web.get().uri("/api/v1/completeness?from={from}&to={to}",
                        LocalDate.now(ZoneOffset.UTC).minusDays(daysBack), LocalDate.now(ZoneOffset.UTC))
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    JsonNode latestSweep() {
        JsonNode sweeps = web.get().uri("/api/v1/completeness/sweeps").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        return sweeps.get("sweeps").get(0);
    }

    long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    static JsonNode find(JsonNode list, String eventKey) {
        for (JsonNode item : list) {
            if (eventKey.equals(item.path("event_key").asText())) {
                return item;
            }
        }
        return null;
    }

    /** The read model shows the slip (projections follow the commit shortly after). */
    void appliedSlip(String key) {
        await().atMost(Duration.ofSeconds(20)).until(() -> web.get().uri("/api/v1/bank-slips/{key}", key).exchange()
                .returnResult(String.class).getStatus().is2xxSuccessful());
    }

    void everyCallWasSigned() {
        assertThat(PROVIDER.stub.all()).isNotEmpty()
                .allSatisfy(request -> assertThat(PROVIDER.stub.refusal(request)).as(request.getUrl()).isNull());
    }

    // ---- tests ----

    @Test
    void severalPagesAreReadToTheShortOneAndEveryEventIsCounted() {
        Instant day = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(10));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String slip = UUID.randomUUID().toString();
            keys.add(PROVIDER.add("ev-pages-" + i + "-" + UUID.randomUUID(), "bank_slip_registered", slip,
                    day.plusSeconds(i), registeredSlip(slip), "sent").key());
        }

        assertThat(sweep(4)).isEqualTo(CompletenessSweep.Ran.ENDED);

        String window = NotificationApi.TIME.format(day.truncatedTo(ChronoUnit.DAYS)) + " "
                + NotificationApi.TIME.format(day.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)));
        assertThat(PROVIDER.listings().stream().filter(l -> l.startsWith(window))).containsExactly(
                window + " 1", window + " 2", window + " 3");
        JsonNode swept = latestSweep();
        assertThat(swept.get("state").asText()).isEqualTo("completed");
        assertThat(swept.get("events").asInt()).isEqualTo(5);
        assertThat(swept.get("callbacks_by_status").get("sent").asInt()).isEqualTo(5);
        assertThat(swept.get("windows").asInt()).isEqualTo(5);
        JsonNode report = report(4);
        assertThat(keys).allSatisfy(key -> assertThat(report.get("missing").toString()).doesNotContain(key));
        assertThat(report.get("provider_events").get("by_callback_status").get("sent").asInt()).isGreaterThanOrEqualTo(5);
        everyCallWasSigned();
    }

    @Test
    void theStubRefusesAWindowWiderThan14DaysAndTheSweepNeverAsksForOne() {
        ProviderClient client = new ProviderClient(providerSettings, Clock.systemUTC());
        ProviderClient.Answer wide = client.send(new ProviderClient.Call("GET", "/notification/events?start_datetime="
                + "2026-01-01T00%3A00%3A00Z&end_datetime=2026-01-16T00%3A00%3A00Z&page=1", null, "wide"));
        assertThat(wide.outcome()).isEqualTo(ProviderClient.Outcome.REFUSED);
        assertThat(wide.status()).isEqualTo(400);

        PROVIDER.reset();
        sweep(30);

        assertThat(PROVIDER.listings()).isNotEmpty().allSatisfy(listing -> {
            String[] parts = listing.split(" ");
            assertThat(Duration.between(Instant.parse(parts[0]), Instant.parse(parts[1])))
                    .isLessThanOrEqualTo(Duration.ofDays(14));
        });
        assertThat(latestSweep().get("state").asText()).isEqualTo("completed");
        assertThat(latestSweep().get("errors")).isEmpty();
    }

    @Test
    void aRefusedWindowStopsTheSweepWithTheRequestRecordedAndIsNotResumed() {
        PROVIDER.faults.add(NotificationApi.answer(400, "{\"title\": \"bad filter\"}"));

        assertThat(sweep(2)).isEqualTo(CompletenessSweep.Ran.ENDED);

        JsonNode swept = latestSweep();
        assertThat(swept.get("state").asText()).isEqualTo("stopped");
        assertThat(swept.get("error").asText()).contains("refused GET /notification/events?start_datetime=")
                .contains("400").contains("bad filter");
        assertThat(swept.get("errors").get(0).get("status").asInt()).isEqualTo(400);
        assertThat(swept.get("errors").get(0).get("outcome").asText()).isEqualTo("refused");
        int calls = PROVIDER.listings().size();
        assertThat(sweep.runOnce()).isEqualTo(CompletenessSweep.Ran.IDLE);
        assertThat(PROVIDER.listings()).hasSize(calls);
    }

    @Test
    void anEvent20DaysBackIsFoundInItsOwnWindowResentAndApplied() {
        NotificationApi.Event old = slipEvent(Duration.ofDays(20), "failed");

        assertThat(sweep(21)).isEqualTo(CompletenessSweep.Ran.ENDED);

        assertThat(PROVIDER.resends()).singleElement().satisfies(r -> assertThat(r.getUrl())
                .isEqualTo("/notification/events/" + old.key() + "/callbacks/" + old.key() + "-cb1"));
        assertThat(PROVIDER.status(old.key())).isEqualTo("sent");
        appliedSlip(old.originKey());
        JsonNode report = report(21);
        assertThat(find(report.get("missing"), old.key())).isNull();
        assertThat(find(report.get("resend_requested"), old.key()).get("delivery").get("outcome").asText())
                .isEqualTo("applied");
    }

    @Test
    void a503IsAskedAgainAfterTheBackOffAndTheSweepCompletesWithNothingLost() {
        NotificationApi.Event event = slipEvent(Duration.ofHours(1), "sent");
        PROVIDER.faults.add(NotificationApi.answer(503, "{\"title\": \"unavailable\"}"));

        assertThat(sweep(1)).isEqualTo(CompletenessSweep.Ran.ENDED);

        List<String> listings = PROVIDER.listings();
        assertThat(listings.get(0)).isEqualTo(listings.get(1));
        JsonNode swept = latestSweep();
        assertThat(swept.get("state").asText()).isEqualTo("completed");
        assertThat(swept.get("errors")).singleElement().satisfies(error -> {
            assertThat(error.get("status").asInt()).isEqualTo(503);
            assertThat(error.get("outcome").asText()).isEqualTo("failed");
        });
        assertThat(report(1).get("provider_events").get("events").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(count("SELECT count(*) FROM completeness.callback_status WHERE event_key = '" + event.key() + "'"))
                .isEqualTo(1);
    }

    @Test
    void aProviderDownForEveryAttemptLeavesTheSweepOpenAndTheNextRunResumesIt() {
        for (int i = 0; i < 3; i++) {
            PROVIDER.faults.add(NotificationApi.answer(503, "busy"));
        }

        assertThat(sweep(1)).isEqualTo(CompletenessSweep.Ran.OPEN);
        assertThat(latestSweep().get("state").asText()).isEqualTo("in_progress");
        int asked = PROVIDER.listings().size();
        assertThat(asked).isEqualTo(3);

        await().atMost(Duration.ofSeconds(10)).until(() -> sweep.runOnce() == CompletenessSweep.Ran.ENDED);

        assertThat(latestSweep().get("state").asText()).isEqualTo("completed");
        assertThat(PROVIDER.listings().get(asked)).isEqualTo(PROVIDER.listings().get(0));
    }

    @Test
    void aPageThatRepeatsStopsTheSweepWithTheErrorRecordedAndNeverLoops() {
        Instant day = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(5));
        for (int i = 0; i < 3; i++) {
            String slip = UUID.randomUUID().toString();
            PROVIDER.add("ev-repeat-" + i + "-" + UUID.randomUUID(), "bank_slip_registered", slip, day.plusSeconds(i),
                    registeredSlip(slip), "sent");
        }
        PROVIDER.repeatPages = true;

        assertThat(sweep(2)).isEqualTo(CompletenessSweep.Ran.ENDED);

        JsonNode swept = latestSweep();
        assertThat(swept.get("state").asText()).isEqualTo("stopped");
        assertThat(swept.get("error").asText()).contains("page 2 repeats page 1");
        assertThat(PROVIDER.listings().stream().filter(l -> l.endsWith(" 2"))).hasSize(1);
        assertThat(sweep.runOnce()).isEqualTo(CompletenessSweep.Ran.IDLE);
    }

    @Test
    void anAnswerThatIsNotJsonOrLacksFieldsStopsTheSweepWithTheErrorRecorded() {
        PROVIDER.faults.add(NotificationApi.answer(200, "<html>maintenance</html>"));
        assertThat(sweep(1)).isEqualTo(CompletenessSweep.Ran.ENDED);
        assertThat(latestSweep().get("error").asText()).contains("not JSON");

        PROVIDER.faults.add(NotificationApi.answer(200, "{\"data\": [{\"event_type\": \"x\", \"callbacks\": []}], "
                + "\"pagination\": {\"current_page\": 1, \"rows_per_page\": 10}}"));
        assertThat(sweep(1)).isEqualTo(CompletenessSweep.Ran.ENDED);
        assertThat(latestSweep().get("error").asText()).contains("no event_key");
        assertThat(latestSweep().get("state").asText()).isEqualTo("stopped");
    }

    @Test
    void aFailedEventIsResentAppliedThroughIntakeAndLinkedInTheReport() throws IOException {
        NotificationApi.Event lost = slipEvent(Duration.ofHours(30), "failed");
        NotificationApi.Event delivered = slipEvent(Duration.ofHours(29), "sent");
        // the first resend meets a provider that fails: the report shows the event missing
        PROVIDER.resendDelivers = true;
        PROVIDER.stub.stubSigned(com.github.tomakehurst.wiremock.client.WireMock
                .patch(com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/notification/events/.*"))
                .atPriority(1).inScenario("resend").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing
                        .Scenario.STARTED).willSetStateTo("up")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(503)
                        .withBody("{\"title\": \"try later\"}")));
        assertThat(sweep(2)).isEqualTo(CompletenessSweep.Ran.ENDED);
        JsonNode before = report(2);
        JsonNode missing = find(before.get("missing"), lost.key());
        assertThat(missing.get("callback_status").asText()).isEqualTo("failed");
        assertThat(missing.get("resend_state").asText()).isEqualTo("failed");
        assertThat(missing.get("origin_key").asText()).isEqualTo(lost.originKey());
        assertThat(find(before.get("missing"), delivered.key())).isNull();
        web.get().uri("/api/v1/bank-slips/{key}", lost.originKey()).exchange().expectStatus().isNotFound();

        // after the client's back-off the next sweep asks again; the provider resends and the ledger applies it
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            sweep(2);
            return PROVIDER.status(lost.key()).equals("sent");
        });
        JsonNode after = report(2);
        assertThat(find(after.get("missing"), lost.key())).isNull();
        List<JsonNode> asked = new ArrayList<>();
        after.get("resend_requested").forEach(r -> {
            if (r.get("event_key").asText().equals(lost.key())) {
                asked.add(r);
            }
        });
        assertThat(asked).hasSize(2);
        assertThat(asked.get(0).get("answer").asText()).isEqualTo("failed");
        assertThat(asked.get(0).get("answer_status").asInt()).isEqualTo(503);
        assertThat(asked.get(0).get("delivery").isNull()).isTrue();
        assertThat(asked.get(1).get("answer").asText()).isEqualTo("accepted");
        assertThat(asked.get(1).get("asked_by").asText()).startsWith("completeness sweep ");
        JsonNode delivery = asked.get(1).get("delivery");
        assertThat(delivery.get("outcome").asText()).isEqualTo("applied");
        web.get().uri("/api/v1/receipts/{id}", delivery.get("receipt").asText()).exchange().expectStatus().isOk();
        appliedSlip(lost.originKey());
        assertThat(PROVIDER.resends().stream().filter(r -> r.getUrl().contains(delivered.key()))).isEmpty();
        String csv = web.get().uri("/api/v1/completeness?from={from}&to={to}",
                        LocalDate.now(ZoneOffset.UTC).minusDays(2), LocalDate.now(ZoneOffset.UTC))
                .accept(new MediaType("text", "csv")).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(new MediaType("text", "csv"))
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(csv).startsWith("record,period_from,period_to,callback_status,count,event_key");
        assertThat(csv.lines().filter(l -> l.startsWith("resend_requested,") && l.contains(lost.key())
                && l.contains(",applied,"))).hasSize(1);
        everyCallWasSigned();
        Path example = Path.of("target", "completeness-report-example.json");
        Files.writeString(example, "before:\n" + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(before)
                + "\nafter:\n" + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(after) + "\n");
    }

    @Test
    void aSentEventIsNeverAskedForAndAFailedCallbackOnceAcrossConsecutiveSweeps() {
        NotificationApi.Event sent = slipEvent(Duration.ofHours(5), "sent");
        NotificationApi.Event stuck = slipEvent(Duration.ofHours(6), "failed", "sent");
        PROVIDER.resendDelivers = false;

        for (int i = 0; i < 3; i++) {
            assertThat(sweep(1)).isEqualTo(CompletenessSweep.Ran.ENDED);
        }

        assertThat(PROVIDER.resends().stream().map(LoggedRequest::getUrl)).containsExactly(
                "/notification/events/" + stuck.key() + "/callbacks/" + stuck.key() + "-cb1");
        assertThat(PROVIDER.resends().stream().filter(r -> r.getUrl().contains(sent.key()))).isEmpty();
        assertThat(count("SELECT count(*) FROM completeness.resend WHERE event_key = '" + stuck.key() + "'"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM completeness.resend WHERE event_key = '" + sent.key() + "'"))
                .isZero();
    }

    @Test
    void aSweepStoppedInTheMiddleResumesFromItsWatermark() throws Exception {
        Instant day = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(8));
        for (int i = 0; i < 5; i++) {
            String slip = UUID.randomUUID().toString();
            PROVIDER.add("ev-crash-" + i + "-" + UUID.randomUUID(), "bank_slip_registered", slip, day.plusSeconds(i),
                    registeredSlip(slip), "sent");
        }
        PROVIDER.slowPage = 2;
        PROVIDER.slowBy = Duration.ofMillis(2500);
        askForSweep(3);
        AtomicReference<CompletenessSweep.Ran> first = new AtomicReference<>();
        Thread runner = new Thread(() -> first.set(sweep.runOnce()), "sweep-to-be-stopped");
        runner.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> PROVIDER.arriving.contains(2));
        // the node stops while page 2 is in flight: nothing after page 1 is recorded, as in a crash
        runner.interrupt();
        runner.join(10_000);
        assertThat(first.get()).isEqualTo(CompletenessSweep.Ran.OPEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> PROVIDER.listings().stream().anyMatch(l -> l.endsWith(" 2")));
        List<String> beforeCrash = PROVIDER.listings();
        String inFlight = beforeCrash.get(beforeCrash.size() - 1);
        assertThat(latestSweep().get("state").asText()).isEqualTo("in_progress");
        assertThat(latestSweep().get("watermark").get("page").asInt()).isEqualTo(1);
        assertThat(Instant.parse(latestSweep().get("watermark").get("window_start").asText()))
                .isEqualTo(day.truncatedTo(ChronoUnit.DAYS));

        PROVIDER.slowBy = Duration.ZERO;
        assertThat(sweep.runOnce()).isEqualTo(CompletenessSweep.Ran.ENDED);

        List<String> afterRestart = PROVIDER.listings().subList(beforeCrash.size(), PROVIDER.listings().size());
        assertThat(afterRestart.get(0)).as("before %s, after %s", beforeCrash, afterRestart).isEqualTo(inFlight);
        Map<String, Long> times = PROVIDER.listings().stream().collect(Collectors.groupingBy(l -> l,
                Collectors.counting()));
        times.forEach((listing, n) -> assertThat(n).as(listing).isEqualTo(listing.equals(inFlight) ? 2 : 1));
        JsonNode swept = latestSweep();
        assertThat(swept.get("state").asText()).isEqualTo("completed");
        assertThat(swept.get("events").asInt()).isEqualTo(5);
    }

    @Test
    void twoNodesRunOneSweepAtATime() throws Exception {
        CompletenessSweep other = new CompletenessSweep(new ProviderClient(providerSettings, Clock.systemUTC()),
                sweepSettings, dataSource, jdbc, transactions, Clock.systemUTC(), status, "node-b",
                Duration.ofSeconds(1));
        PROVIDER.slowPage = 1;
        PROVIDER.slowBy = Duration.ofMillis(200);
        long sweepsBefore = count("SELECT count(*) FROM completeness.sweep");
        askForSweep(3);
        CompletableFuture<CompletenessSweep.Ran> first = CompletableFuture.supplyAsync(sweep::runOnce);
        await().atMost(Duration.ofSeconds(20)).until(() -> !PROVIDER.listings().isEmpty());

        assertThat(other.runOnce()).isEqualTo(CompletenessSweep.Ran.BUSY);
        assertThat(first.get()).isEqualTo(CompletenessSweep.Ran.ENDED);
        assertThat(other.runOnce()).isEqualTo(CompletenessSweep.Ran.IDLE);

        assertThat(count("SELECT count(*) FROM completeness.sweep")).isEqualTo(sweepsBefore + 1);
        assertThat(PROVIDER.listings()).doesNotHaveDuplicates();
    }

    @Test
    void aFailedEventUnrecoveredPastTheThresholdTurnsTheHealthDegradedAndIsInTheGauge() {
        NotificationApi.Event stuck = slipEvent(Duration.ofHours(2), "failed");
        PROVIDER.resendDelivers = false;
        assertThat(sweep(1)).isEqualTo(CompletenessSweep.Ran.ENDED);
        assertThat(status.health().getDetails().get("failed_unrecovered")).isNotEqualTo(0);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            status.refresh();
            return CompletenessStatus.DEGRADED.equals(status.health().getStatus());
        });

        JsonNode health = web.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(health.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(health.get("components").get("completeness").get("status").asText()).isEqualTo("DEGRADED");
        String metrics = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics.lines().filter(l -> l.startsWith("ledger_completeness_undelivered_events{age=\"under_1h\"}"))
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))).singleElement()
                .satisfies(n -> assertThat(n).isGreaterThanOrEqualTo(1.0));
        JsonNode sweeps = web.get().uri("/api/v1/completeness/sweeps").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(sweeps.get("status").get("failed_unrecovered").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(find(report(1).get("missing"), stuck.key()).get("resend_state").asText()).isEqualTo("accepted");
    }

    @Test
    void theFactsAreAppendOnly() {
        sweep(1);
        for (String sql : List.of("UPDATE completeness.sweep SET node = 'x'", "DELETE FROM completeness.page",
                "TRUNCATE completeness.sweep_end CASCADE")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.sql(sql).update())
                    .as(sql).hasMessageContaining("append-only");
        }
    }

    @Test
    void badRequestsAreProblems() {
        web.get().uri("/api/v1/completeness?from=2026-03-10&to=2026-03-01").exchange()
                .expectStatus().isEqualTo(HttpStatus.BAD_REQUEST)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        web.get().uri("/api/v1/completeness").exchange().expectStatus().isEqualTo(HttpStatus.BAD_REQUEST);
        web.post().uri("/api/v1/completeness/sweeps").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"from\": \"yesterday\"}").exchange().expectStatus().isEqualTo(HttpStatus.BAD_REQUEST)
                .expectBody().jsonPath("$.field").isEqualTo("from");
    }
}
