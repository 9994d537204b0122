package com.qiledger.api.qitech;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qiledger.api.LedgerApplication;
import com.qiledger.api.e2e.TestDataDirs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.statistics.Statistics;
import org.awaitility.Awaitility;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 26: the seed bodies of every family, mutated (bytes flipped, cut, inserted; members dropped
 * or replaced by odd values: huge and tiny exponents, NaN, NUL, deep nesting, every JSON type), sent
 * through the whole running service on the embedded PostgreSQL. Every delivery is answered 200
 * within 1 s and is applied, a duplicate, or quarantined with a reason; afterwards every projection
 * reaches the head of the event store with no dead letter. Deterministic (seeded) and bounded.
 */
class HostileInputProperties {

    /** The bound of the issue, on the service's own time from the body read to the answer (its intake timer). */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);
    /** As the client sees it, scheduling on a busy 2-core machine included. */
    static final Duration CLIENT_WAIT_WITHIN = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static ConfigurableApplicationContext service;

    static synchronized URI base() {
        if (service == null) {
            service = new SpringApplicationBuilder(LedgerApplication.class).run(
                    "--spring.profiles.active=test", "--server.port=0",
                    "--ledger.data-dir=" + TestDataDirs.create("hostile-input-properties"));
            URI base = URI.create("http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port"));
            // every seed once, as sent: the store has events, and the first measured answer is not a cold start
            for (byte[] seed : TranslatorFuzzProperties.SEEDS) {
                post(base, seed);
            }
            return base;
        }
        return URI.create("http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port"));
    }

    static HttpResponse<String> post(URI base, byte[] body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(base.resolve("/webhooks/qitech"))
                    .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterContainer
    static synchronized void stop() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedBodies() {
        return Arbitraries.integers().between(0, TranslatorFuzzProperties.SEEDS.size() - 1).flatMap(index ->
                Arbitraries.longs().map(seed -> TranslatorFuzzProperties.mutate(
                        TranslatorFuzzProperties.SEEDS.get(index), new Random(seed))));
    }

    @Property(tries = 250, seed = "20261205")
    void everyMutatedDeliveryIsAnsweredAndRecordedOrQuarantined(@ForAll("mutatedBodies") byte[] body)
            throws IOException, InterruptedException {
        URI base = base();
        long started = System.nanoTime();
        HttpResponse<String> response = post(base, body);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(took).isLessThan(CLIENT_WAIT_WITHIN);
        JsonNode answer = JSON.readTree(response.body());
        String outcome = answer.get("outcome").asText();
        Statistics.collect(outcome);
        // both ends must be reached through the stack, or the mutations test only the parser
        Statistics.coverage(coverage -> {
            coverage.check("quarantined").percentage(p -> p > 10);
            coverage.check("applied").percentage(p -> p > 1);
        });
        assertThat(outcome).isIn("applied", "duplicate", "quarantined");
        if (outcome.equals("quarantined")) {
            assertThat(answer.get("reason").asText()).isNotBlank().doesNotStartWith("unreadable payload");
        }
    }

    /** After the property: every processor at the head of the store, no dead letter anywhere. */
    @AfterProperty
    void everyProjectionReachesTheHeadWithNoDeadLetter() {
        base();
        for (io.micrometer.core.instrument.Timer timer : service.getBean(io.micrometer.core.instrument.MeterRegistry.class)
                .find("ledger.webhook.intake").timers()) {
            assertThat(timer.max(java.util.concurrent.TimeUnit.MILLISECONDS))
                    .as("slowest answer, outcome %s", timer.getId().getTag("outcome")).isLessThan(ANSWER_WITHIN.toMillis());
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = JSON.readTree(HTTP.send(HttpRequest.newBuilder(base().resolve("/api/v1/projections"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(status.get("head").asLong()).isGreaterThanOrEqualTo(0);
            for (JsonNode processor : status.get("processors")) {
                String name = processor.get("name").asText();
                assertThat(processor.get("lag").asLong()).as(name).isZero();
                assertThat(processor.get("dead_letters").get("count").asInt()).as(name).isZero();
            }
        });
    }
}
