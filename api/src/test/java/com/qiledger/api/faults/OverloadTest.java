package com.qiledger.api.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.LedgerApplication;
import com.qiledger.api.e2e.TestDataDirs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fault 4: bursts of more concurrent deliveries than the service takes (2 blocking threads, a queue
 * of 2). What does not fit is answered 503 at once, nothing waits past the provider's 10 s, and
 * every delivery answered 200, in the bursts or in the provider's resends of the 503s, is kept.
 */
class OverloadTest {

    static final int BURST = 96;
    static final int BURSTS = 3;
    /** "At once": a refusal must not cost the provider more than this. */
    static final Duration QUICK = Duration.ofSeconds(3);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void moreDeliveriesThanTheServiceTakesAreRefusedQuicklyAndEveryAcknowledgedOneIsKept() throws Exception {
        long started = System.nanoTime();
        try (FaultDatabase database = FaultDatabase.start("fault-overload");
                ConfigurableApplicationContext service = node(database)) {
            Http http = new Http(Integer.parseInt(service.getEnvironment().getProperty("local.server.port")));
            Ledger ledger = new Ledger();
            List<Http.Answer> answers = new ArrayList<>();
            List<byte[]> owed = new ArrayList<>();
            byte[] warmUp = Deliveries.of("bank-slip/registered.json", "overload-warm-up");
            Http.Answer first = http.post(warmUp);
            assertThat(first.status()).isEqualTo(200);
            ledger.record(warmUp, first);
            ExecutorService provider = Executors.newFixedThreadPool(BURST);
            try {
                for (int burst = 0; burst < BURSTS; burst++) {
                    CountDownLatch go = new CountDownLatch(1);
                    List<byte[]> bodies = new ArrayList<>();
                    List<Future<Http.Answer>> pending = new ArrayList<>();
                    for (int i = 0; i < BURST; i++) {
                        byte[] body = Deliveries.of(Deliveries.template(i), "overload-" + burst + "-" + i);
                        bodies.add(body);
                        pending.add(provider.submit(() -> {
                            go.await();
                            return http.post(body);
                        }));
                    }
                    go.countDown();
                    for (int i = 0; i < BURST; i++) {
                        Http.Answer answer = pending.get(i).get(30, TimeUnit.SECONDS);
                        answers.add(answer);
                        ledger.record(bodies.get(i), answer);
                        if (!answer.ok()) {
                            owed.add(bodies.get(i));
                        }
                    }
                }
            } finally {
                provider.shutdownNow();
            }

            // the provider resends every 503, one at a time, as its retries would
            Map<String, Integer> resent = new TreeMap<>();
            for (byte[] body : owed) {
                Http.Answer answer = http.post(body);
                for (int attempt = 0; !answer.ok() && attempt < 20; attempt++) {
                    Faults.sleep(200);
                    answer = http.post(body);
                }
                assertThat(answer.status()).as("resend: %s", answer.body()).isEqualTo(200);
                ledger.record(body, answer);
                resent.merge(answer.text("outcome"), 1, Integer::sum);
            }

            Map<Integer, Integer> statuses = new TreeMap<>();
            answers.forEach(a -> statuses.merge(a.status(), 1, Integer::sum));
            Duration slowest = answers.stream().map(Http.Answer::took).max(Comparator.naturalOrder()).orElseThrow();
            List<Duration> refusals = answers.stream().filter(a -> a.status() == 503).map(Http.Answer::took)
                    .sorted().toList();
            Duration slowestRefusal = refusals.isEmpty() ? Duration.ZERO : refusals.get(refusals.size() - 1);
            Duration medianRefusal = refusals.isEmpty() ? Duration.ZERO : refusals.get(refusals.size() / 2);
            Ledger.Audit audit = ledger.audit(database.jdbc());
            Faults.report("OverloadTest", audit.figures() + "; " + BURSTS + " bursts of " + BURST
                    + " concurrent deliveries on 2 threads + 2 queued: answers " + statuses + ", 503 median "
                    + medianRefusal.toMillis() + " ms, slowest 503 " + slowestRefusal.toMillis() + " ms, slowest answer " + slowest.toMillis()
                    + " ms, 503s resent " + resent + "; wall "
                    + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");

            assertThat(statuses.keySet()).as("answer statuses").containsOnly(200, 503);
            assertThat(statuses.get(503)).as("deliveries refused for overload").isPositive();
            assertThat(answers.stream().filter(a -> a.status() == 503))
                    .allSatisfy(a -> assertThat(a.body().get("detail").asText()).contains("saturated"));
            assertThat(slowestRefusal).as("slowest 503").isLessThan(QUICK);
            assertThat(slowest).as("slowest answer").isLessThan(Http.PROVIDER_PATIENCE);
            assertThat(resent).as("every refused delivery was applied when resent").containsOnlyKeys("applied");
            assertThat(audit.lost()).as("acknowledged deliveries missing after overload").isEmpty();
            assertThat(audit.halfApplied()).as("half-applied deliveries after overload").isEmpty();
            assertThat(audit.acknowledged()).isEqualTo(BURST * BURSTS + 1);
            assertThat(audit.receipts()).isEqualTo(BURST * BURSTS + 1);
        }
    }

    static ConfigurableApplicationContext node(FaultDatabase database) {
        List<String> properties = new ArrayList<>(List.of(database.nodeProperties()));
        properties.addAll(List.of("server.port=0", "server.address=127.0.0.1", "ledger.blocking.threads=2",
                "ledger.blocking.queue=2", "ledger.data-dir=" + TestDataDirs.create("overload-node").resolve("unused")));
        return new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.REACTIVE)
                .profiles("test")
                .properties(properties.toArray(String[]::new))
                // an argument, not a default: application.yml's server.port (8080) outranks .properties()
                .run("--server.port=0");
    }
}
