package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.qiledger.api.projections.ReadModelTables;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Reading with {@code minPosition} and {@code asOf}, a receipt's events, the processors' positions,
 * and a rebuild of every read model that answers reads throughout and reproduces them exactly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadModelOperationsEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-operations");
    static final String DDA = "7c52d5f6-9db1-4a3c-bb03-1f76a2e8f9d2";
    static final List<String> FIXTURES = List.of("bank-slip/registered.json", "bank-slip/paid_qr_code.json",
            "dda-bank-slip/registration.json", "dda-bank-slip/update.json", "installment/status_change_paid.json",
            "installment/update_billing.json", "conciliation-batch/creation.json", "debt/collateral.json",
            "debt/canceled_ted_refusal.json");
    static final Map<String, JsonNode> ANSWERS = new LinkedHashMap<>();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
        registry.add("ledger.query.max-wait", () -> "700ms");
    }

    @Autowired
    ReadModelTables tables;

    @Autowired
    com.zaxxer.hikari.HikariDataSource pool;

    void postAllOnce() {
        if (ANSWERS.isEmpty()) {
            for (String fixture : FIXTURES) {
                JsonNode answer = post(Webhooks.read(fixture));
                assertThat(answer.get("outcome").asText()).as(fixture).isEqualTo("applied");
                ANSWERS.put(fixture, answer);
            }
        }
    }

    long lastPosition() {
        return ANSWERS.values().stream().mapToLong(a -> a.get("position").asLong()).max().orElseThrow();
    }

    @Test
    @Order(1)
    void minPositionGivesReadYourWritesOrA503InBoundedTime() {
        postAllOnce();
        JsonNode slip = get("/api/v1/dda-bank-slips/{k}?minPosition={p}", DDA,
                ANSWERS.get("dda-bank-slip/update.json").get("position").asLong());
        assertThat(slip.get("status").asText()).isEqualTo("paid");

        long started = System.nanoTime();
        web.get().uri("/api/v1/dda-bank-slips/{k}?minPosition={p}", DDA, lastPosition() + 1_000_000).exchange()
                .expectStatus().isEqualTo(503).expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.type").isEqualTo("urn:qi-ledger:problem:position-not-reached");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        web.get().uri("/api/v1/dda-bank-slips/{k}?minPosition=soon", DDA).exchange().expectStatus().isBadRequest();
    }

    @Test
    @Order(2)
    void asOfGivesTheStateAsTheLedgerKnewItThen() {
        postAllOnce();
        JsonNode history = get("/api/v1/dda-bank-slips/{k}/history?minPosition={p}", DDA, lastPosition());
        Instant registered = Instant.parse(history.get("events").get(0).get("recorded_at").asText());
        Instant updated = Instant.parse(history.get("events").get(1).get("recorded_at").asText());
        assertThat(updated).isAfter(registered);

        web.get().uri("/api/v1/dda-bank-slips/{k}?asOf={t}", DDA, registered.minusNanos(1000)).exchange()
                .expectStatus().isNotFound();
        JsonNode then = get("/api/v1/dda-bank-slips/{k}?asOf={t}", DDA, registered);
        assertThat(then.get("status").asText()).isEqualTo("registered");
        assertThat(then.get("total_amount").decimalValue()).isEqualByComparingTo("999");
        JsonNode now = get("/api/v1/dda-bank-slips/{k}?asOf={t}", DDA, updated);
        assertThat(now).isEqualTo(get("/api/v1/dda-bank-slips/{k}", DDA));
        web.get().uri("/api/v1/dda-bank-slips/{k}?asOf=yesterday", DDA).exchange().expectStatus().isBadRequest();

        // every entity type answers asOf the same way, from its events
        assertThat(get("/api/v1/bank-slips/{k}?asOf={t}", "505fd25f-89cf-40ca-927c-3800f207146a", Instant.now())
                .get("status").asText()).isEqualTo("paid");
        assertThat(get("/api/v1/installments/{k}?asOf={t}", "92a05d9c-e457-4f28-9fa8-86be638ee2d0", Instant.now()))
                .isEqualTo(get("/api/v1/installments/{k}", "92a05d9c-e457-4f28-9fa8-86be638ee2d0"));
        assertThat(get("/api/v1/installments/{k}?asOf={t}", "bc60ad8e-4dc1-4edc-8c5b-6df1b5c9415d", Instant.now()))
                .isEqualTo(get("/api/v1/installments/{k}", "bc60ad8e-4dc1-4edc-8c5b-6df1b5c9415d"));
        assertThat(get("/api/v1/bank-slips/{k}?asOf={t}", "11b13b2c-4204-41b3-8596-2ee7ecbde38c", Instant.now()))
                .isEqualTo(get("/api/v1/bank-slips/{k}", "11b13b2c-4204-41b3-8596-2ee7ecbde38c"));
        assertThat(get("/api/v1/conciliation-batches/{k}?asOf={t}", "98fc62fd-b0a0-4604-9bea-475e91a9dc82",
                Instant.now())).isEqualTo(get("/api/v1/conciliation-batches/{k}", "98fc62fd-b0a0-4604-9bea-475e91a9dc82"));
        JsonNode debt = get("/api/v1/debts/{k}?asOf={t}", "<Debt Key>", Instant.now());
        assertThat(debt.get("refusals")).hasSize(1);
        assertThat(debt).isEqualTo(get("/api/v1/debts/{k}", "<Debt Key>"));
    }

    /**
     * asOf reads leave their temporary twins in the pool's sessions (ReadModelTables.shadow): each
     * read starts from empty twins, and outside those reads an unqualified read-model name is the
     * live table in every session, so live projections, queries and a rebuild never reach a twin.
     */
    @Test
    @Order(2)
    void asOfTwinsStartEmptyAndShadowNothingOutsideTheirRead() throws Exception {
        postAllOnce();
        JsonNode history = get("/api/v1/dda-bank-slips/{k}/history?minPosition={p}", DDA, lastPosition());
        Instant registered = Instant.parse(history.get("events").get(0).get("recorded_at").asText());
        Instant updated = Instant.parse(history.get("events").get(1).get("recorded_at").asText());
        // later then earlier, repeatedly: a twin still holding the later row would answer "paid" early
        for (int i = 0; i < 10; i++) {
            assertThat(get("/api/v1/dda-bank-slips/{k}?asOf={t}", DDA, updated).get("status").asText())
                    .isEqualTo("paid");
            assertThat(get("/api/v1/dda-bank-slips/{k}?asOf={t}", DDA, registered).get("status").asText())
                    .isEqualTo("registered");
        }

        int withTwins = 0;
        List<java.sql.Connection> sessions = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                sessions.add(pool.getConnection());
            }
            for (java.sql.Connection session : sessions) {
                try (var statement = session.createStatement();
                     var rs = statement.executeQuery("""
                             SELECT current_setting('search_path'),
                                    'dda_bank_slip_view'::regclass = 'public.dda_bank_slip_view'::regclass,
                                    to_regclass('pg_temp.dda_bank_slip_view') IS NOT NULL""")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("public, pg_temp");
                    assertThat(rs.getBoolean(2)).as("unqualified name is the live table").isTrue();
                    if (rs.getBoolean(3)) {
                        withTwins++;
                        try (var rows = statement.executeQuery("SELECT count(*) FROM pg_temp.dda_bank_slip_view")) {
                            rows.next();
                            assertThat(rows.getLong(1)).as("a kept twin is empty").isZero();
                        }
                    }
                }
            }
        } finally {
            for (java.sql.Connection session : sessions) {
                session.close();
            }
        }
        assertThat(withTwins).as("sessions keeping asOf twins").isPositive();
    }

    @Test
    @Order(3)
    void aReceiptListsTheEventsItCaused() {
        postAllOnce();
        JsonNode answer = ANSWERS.get("conciliation-batch/creation.json");
        JsonNode receipt = get("/api/v1/receipts/{r}?minPosition={p}", answer.get("receipt").asText(),
                lastPosition());
        assertThat(receipt.get("events")).hasSize(2);
        assertThat(receipt.get("events").get(0).get("aggregate_type").asText()).isEqualTo("ConciliationBatch");
        assertThat(receipt.get("events").get(1).get("position").asLong()).isEqualTo(answer.get("position").asLong());
    }

    @Test
    @Order(4)
    void theProcessorsPositionsAndLagAreShown() {
        postAllOnce();
        get("/api/v1/bank-slips/{k}?minPosition={p}", "505fd25f-89cf-40ca-927c-3800f207146a", lastPosition());
        JsonNode status = get("/api/v1/projections");
        assertThat(status.get("head").asLong()).isEqualTo(lastPosition());
        List<String> names = new java.util.ArrayList<>();
        status.get("processors").forEach(p -> {
            names.add(p.get("name").asText());
            assertThat(p.get("lag").asLong()).isZero();
            assertThat(p.get("segments").get(0).get("owner").asText()).isNotBlank();
        });
        assertThat(names).contains("bank-slips", "dda-bank-slips", "installments", "conciliation-batches", "debts")
                .as("the history is read from the event store, not projected").doesNotContain("history");
    }

    Map<String, List<String>> readModels() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String table : tables.names()) {
            rows.put(table, jdbc.sql("SELECT to_jsonb(t)::text FROM " + table + " t ORDER BY 1")
                    .query(String.class).list());
        }
        return rows;
    }

    byte[] report(MediaType type) {
        return web.get().uri("/api/v1/reports/reconciliation?from=2000-01-01&to=2100-12-31").accept(type)
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
    }

    @Test
    @Order(5)
    void aRebuildAnswersReadsThroughoutAndReproducesEveryReadModel() {
        postAllOnce();
        get("/api/v1/debts/{k}?minPosition={p}", "<Debt Key>", lastPosition());
        Map<String, List<String>> before = readModels();
        byte[] reportJson = report(MediaType.APPLICATION_JSON);
        byte[] reportCsv = report(MediaType.valueOf("text/csv"));
        byte[] ledgerCsv = web.get().uri("/api/v1/ledger/entries?from=2000-01-01&to=2100-12-31")
                .accept(MediaType.valueOf("text/csv")).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(before.get("ledger_entry")).isNotEmpty();
        JsonNode historyBefore = get("/api/v1/dda-bank-slips/{k}/history", DDA);
        // the intake's own records are not read models: a rebuild leaves them as they are
        jdbc.sql("INSERT INTO delivery_failure (body_sha256, failures, last_reason, first_failed_at, last_failed_at) "
                + "VALUES ('\\x00'::bytea, 2, 'kept across a rebuild', now(), now())").update();
        assertThat(tables.names()).doesNotContain("receipt", "receipt_redrive", "delivery_failure", "deadletterentry",
                "partner_call_dispatch", "audit_chain", "audit_digest");
        long links = count("SELECT count(*) FROM audit_chain");
        assertThat(links).isEqualTo(count("SELECT count(*) FROM domainevententry"));

        web.post().uri("/api/v1/projections/rebuild").exchange().expectStatus().isAccepted()
                .expectBody().jsonPath("$.state").isEqualTo("running");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            // reads keep answering while the next generation is built and swapped in
            get("/api/v1/dda-bank-slips/{k}", DDA);
            return "done".equals(get("/api/v1/projections").get("rebuild").get("state").asText());
        });
        JsonNode rebuild = get("/api/v1/projections").get("rebuild");
        get("/api/v1/projections").get("processors").forEach(p -> {
            assertThat(p.get("rebuild").get("state").asText()).isEqualTo("done");
            assertThat(p.get("rebuild").get("replayed_position").asLong())
                    .isGreaterThanOrEqualTo(p.get("rebuild").get("target_position").asLong());
        });
        assertThat(rebuild.get("events_replayed").asLong()).isEqualTo(count("SELECT count(*) FROM domainevententry"));
        assertThat(readModels()).isEqualTo(before);
        // the history is the event store's: a rebuild neither empties nor changes it
        assertThat(get("/api/v1/dda-bank-slips/{k}/history", DDA)).isEqualTo(historyBefore);
        assertThat(count("SELECT count(*) FROM delivery_failure WHERE last_reason = 'kept across a rebuild'")).isOne();
        // the hash chains are the record too (issue 21): every link is still there
        assertThat(count("SELECT count(*) FROM audit_chain")).isEqualTo(links);
        // the new tables were analyzed before they were swapped in (a table never analyzed has reltuples -1)
        assertThat(jdbc.sql("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                        + "AND relkind = 'r' AND reltuples < 0 AND relname IN (:tables)")
                .param("tables", tables.names()).query(String.class).list()).isEmpty();
        // ... and vacuumed, so autovacuum does not visit them right after the swap, when reads resume
        assertThat(jdbc.sql("SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' "
                        + "AND relname IN (:tables) AND (last_vacuum IS NULL OR last_analyze IS NULL)")
                .param("tables", tables.names()).query(String.class).list()).isEmpty();
        assertThat(report(MediaType.APPLICATION_JSON)).isEqualTo(reportJson);
        assertThat(report(MediaType.valueOf("text/csv"))).isEqualTo(reportCsv);
        assertThat(web.get().uri("/api/v1/ledger/entries?from=2000-01-01&to=2100-12-31")
                .accept(MediaType.valueOf("text/csv")).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody()).isEqualTo(ledgerCsv);

        // and the processors carry on from where the rebuild stopped
        // (restarted processors take a moment to claim their segments: a 503 then means "retry")
        JsonNode more = post(Webhooks.read("bank-slip/written_off.json"));
        await().atMost(Duration.ofSeconds(15)).until(() -> web.get()
                .uri("/api/v1/bank-slips/{k}?minPosition={p}", "93e58a9a-287b-4bf2-9cdc-5467a9d3d9bf",
                        more.get("position").asLong())
                .exchange().returnResult(String.class).getStatus().value() == 200);
        assertThat(get("/api/v1/bank-slips/{k}", "93e58a9a-287b-4bf2-9cdc-5467a9d3d9bf").get("status").asText())
                .isEqualTo("written_off");
        assertThat(get("/api/v1/bank-slips/{k}/history", "93e58a9a-287b-4bf2-9cdc-5467a9d3d9bf").get("events"))
                .hasSize((int) count("SELECT count(*) FROM domainevententry "
                        + "WHERE aggregateidentifier = 'BankSlip:93e58a9a-287b-4bf2-9cdc-5467a9d3d9bf'"));
    }

    /**
     * A read holding one read-model table and then reading another (a DDA slip's view, then its
     * snapshots) while a rebuild swaps generations: neither is aborted as a deadlock.
     */
    @Test
    @Order(6)
    void aReadHoldingOneTableDuringTheSwapDeadlocksNothing() throws Exception {
        postAllOnce();
        try (java.sql.Connection reader = pool.getConnection()) {
            reader.setAutoCommit(false);
            try (var statement = reader.createStatement()) {
                statement.executeQuery("SELECT count(*) FROM dda_bank_slip_view").close();
                web.post().uri("/api/v1/projections/rebuild").exchange().expectStatus().isAccepted();
                // the swap now waits for the view this read holds
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> count("""
                        SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                        WHERE NOT l.granted AND l.mode = 'AccessExclusiveLock' AND c.relname = 'dda_bank_slip_view'
                        """) > 0);
                try (var rs = statement.executeQuery("SELECT count(*) FROM dda_bank_slip_snapshot")) {
                    assertThat(rs.next()).isTrue();
                }
            }
            reader.commit();
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> !"running".equals(get("/api/v1/projections").get("rebuild").get("state").asText()));
        assertThat(get("/api/v1/projections").get("rebuild").get("state").asText()).isEqualTo("done");
    }
}
