package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qiledger.api.LedgerApplication;
import com.qiledger.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The store failing under the service: locked, saturated, then gone. Every delivery is answered
 * inside the provider's 10 s, a failure is a 503 with Retry-After (nothing acknowledged, so the
 * provider resends), and the resend after recovery is applied exactly once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StoreFailureTest {

    /** The provider gives up after 10 s; a 503 must come before that. */
    static final Duration PROVIDER_PATIENCE = Duration.ofSeconds(10);

    static EmbeddedPostgres database;
    static ConfigurableApplicationContext service;
    static WebTestClient web;

    @BeforeAll
    static void start() {
        database = EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(TestDataDirs.create("store-failure"))
                .withBinariesDir(Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-test-postgres-bin"))
                .withFsync(false));
        service = new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.REACTIVE)
                .profiles("test")
                .properties("server.port=0",
                        "spring.datasource.url=" + database.jdbcUrl(),
                        "spring.datasource.username=" + database.username(),
                        "spring.datasource.password=" + database.password(),
                        "ledger.webhook.auth=none",
                        "ledger.security.open=true",
                        "ledger.blocking.threads=1",
                        "ledger.blocking.queue=1",
                        "ledger.data-dir=" + TestDataDirs.create("store-failure-node").resolve("unused"))
                // an argument, not a default: application.yml's server.port (8080) outranks .properties()
                .run("--server.port=0");
        web = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    @AfterAll
    static void stop() {
        service.close();
        database.close();
    }

    record Timed(EntityExchangeResult<JsonNode> result, Duration took) {
        int status() {
            return result.getStatus().value();
        }
    }

    static Timed post(byte[] body) {
        long started = System.nanoTime();
        EntityExchangeResult<JsonNode> result = web.post().uri("/webhooks/qitech")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectBody(JsonNode.class).returnResult();
        return new Timed(result, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Another session holding the receipt table: every delivery's first statement waits on it. */
    static Connection lockReceipts() throws Exception {
        Connection lock = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
        lock.setAutoCommit(false);
        lock.createStatement().execute("LOCK TABLE receipt IN ACCESS EXCLUSIVE MODE");
        return lock;
    }

    @Test
    @Order(1)
    void aLockedStoreIsA503InTimeAndTheResendIsAppliedOnce() throws Exception {
        byte[] body = Webhooks.read("bank-slip/registered.json");
        try (Connection lock = lockReceipts()) {
            Timed answer = post(body);
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.took()).isLessThan(PROVIDER_PATIENCE);
            assertThat(answer.result().getResponseHeaders().getFirst("Retry-After")).isNotBlank();
            lock.rollback();
        }
        Timed resend = post(body);
        assertThat(resend.status()).isEqualTo(200);
        assertThat(resend.result().getResponseBody().get("outcome").asText()).isEqualTo("applied");
        assertThat(post(body).result().getResponseBody().get("outcome").asText()).isEqualTo("duplicate");
    }

    @Test
    @Order(2)
    void aSaturatedServiceAnswers503AtOnceInsteadOfQueueingPastTheDeadline() throws Exception {
        List<CompletableFuture<Timed>> inFlight = new ArrayList<>();
        try (Connection lock = lockReceipts()) {
            // one delivery holds the only blocking thread, one waits in the only queue slot
            for (int i = 0; i < 2; i++) {
                byte[] body = ("{\"webhook_type\":\"debt\",\"key\":\"k" + i + "\"}").getBytes();
                inFlight.add(CompletableFuture.supplyAsync(() -> post(body)));
                Thread.sleep(300);
            }
            Timed rejected = post("{\"webhook_type\":\"debt\",\"key\":\"k-late\"}".getBytes());
            assertThat(rejected.status()).isEqualTo(503);
            assertThat(rejected.took()).isLessThan(Duration.ofSeconds(2));
            assertThat(rejected.result().getResponseBody().get("detail").asText()).contains("saturated");
            for (CompletableFuture<Timed> waiting : inFlight) {
                Timed answer = waiting.join();
                assertThat(answer.took()).isLessThan(PROVIDER_PATIENCE);
                assertThat(answer.status()).isIn(200, 503);
            }
            lock.rollback();
        }
    }

    @Test
    @Order(3)
    void aStoppedDatabaseIsA503InTime() {
        database.close();
        Timed answer = post(Webhooks.read("bank-slip/payment_notice.json"));
        assertThat(answer.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.value());
        assertThat(answer.took()).isLessThan(PROVIDER_PATIENCE);
        web.get().uri("/actuator/health").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }
}
