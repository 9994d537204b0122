package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The double-entry journal over HTTP: every applied seed example posted (as in
 * {@link FinanceEndToEndTest}, the ledger's clock at 2026-06-30 12:00 São Paulo), then the trial
 * balance and the statement of the provider cash account, asserted with exact figures, printed and
 * written to {@code target/seed-trial-balance.json} and {@code target/seed-statement-cash.json}; every
 * bad input answered with a problem; and a rebuild that reproduces the journal's answers byte for
 * byte with the balance trigger still guarding the swapped-in tables.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Import(FinanceEndToEndTest.FixedClock.class)
class JournalEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-journal");
    static final String AS_OF = "2026-06-30";
    static final String CASH = "assets:cash:provider";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    @BeforeAll
    void postTheSeeds() {
        for (String seed : FinanceEndToEndTest.SEEDS) {
            JsonNode answer = post(Webhooks.read(seed));
            assertThat(answer.get("outcome").asText()).as(seed).isEqualTo("applied");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("""
                        SELECT COALESCE((SELECT COALESCE((convert_from(token, 'UTF8')::jsonb ->> 'index'),
                                                         (convert_from(token, 'UTF8')::jsonb ->> 'globalIndex'))::bigint
                                         FROM tokenentry WHERE processorname = 'journal' AND token IS NOT NULL), -1)
                               >= (SELECT max(globalindex) FROM domainevententry)
                        """).query(Boolean.class).single());
    }

    String read(String uri, MediaType accept) {
        byte[] body = web.get().uri(uri).accept(accept).exchange().expectStatus().isOk().expectBody(byte[].class)
                .returnResult().getResponseBody();
        return new String(body, StandardCharsets.UTF_8);
    }

    static void keep(String name, String body) throws IOException {
        Files.writeString(Path.of("target", name), body);
        System.out.println(name + ":\n" + body);
    }

    @Test
    @Order(1)
    void theTrialBalanceOfTheSeedExamplesClosesToZero() throws IOException {
        String json = read("/api/v1/reports/trial-balance?asOf=" + AS_OF, MediaType.APPLICATION_JSON);
        keep("seed-trial-balance.json", json);
        keep("seed-trial-balance.csv", read("/api/v1/reports/trial-balance?asOf=" + AS_OF, FinanceEndToEndTest.TEXT_CSV));
        JsonNode trial = FinanceEndToEndTest.tree(json);
        assertThat(trial.get("balanced").asBoolean()).isTrue();
        // notice 6676.38 + settlement 551.5 + TED refusal 483.6 + DDA 1200 + billing 216.97 + payment 1009.68
        assertThat(trial.get("debits").decimalValue()).isEqualByComparingTo("10138.13");
        assertThat(trial.get("credits").decimalValue()).isEqualByComparingTo("10138.13");
        // the collateral, locked 2025-07-10 and released by the permanent cancellation
        assertThat(trial.get("memorandum").get("debits").decimalValue()).isEqualByComparingTo("3000");
        assertThat(trial.get("memorandum").get("balanced").asBoolean()).isTrue();
        assertThat(balance(trial, "assets")).isEqualByComparingTo("6918.77");
        assertThat(balance(trial, "assets:cash")).isEqualByComparingTo("-164.9");
        assertThat(balance(trial, "suspense")).isEqualByComparingTo("-6701.8");
        assertThat(balance(trial, "income")).isEqualByComparingTo("-216.97");
        assertThat(balance(trial, "memo")).isEqualByComparingTo("0");

        // the seed's permanent cancellation says 2025-03-18, before the lock (2025-07-10): a reversal is
        // never dated before what it reverses, so both stand on 2025-07-10 and nothing is locked before
        JsonNode before = FinanceEndToEndTest.tree(read("/api/v1/reports/trial-balance?asOf=2025-07-09",
                MediaType.APPLICATION_JSON));
        assertThat(before.get("memorandum").get("debits").decimalValue()).isEqualByComparingTo("0");
        assertThat(before.get("debits").decimalValue()).isEqualByComparingTo("7711.48");
        assertThat(before.get("balanced").asBoolean()).isTrue();
    }

    static java.math.BigDecimal balance(JsonNode trial, String address) {
        for (JsonNode a : trial.get("accounts")) {
            if (a.get("address").asText().equals(address)) {
                return a.get("balance").decimalValue();
            }
        }
        throw new AssertionError(address + " not in " + trial);
    }

    @Test
    @Order(2)
    void theStatementOfTheCashAccountHasItsOpeningEveryPostingAndItsClosing() throws IOException {
        String json = read("/api/v1/accounts/" + CASH + "/statement?from=2022-01-01&to=" + AS_OF,
                MediaType.APPLICATION_JSON);
        keep("seed-statement-cash.json", json);
        keep("seed-statement-cash.csv", read("/api/v1/accounts/" + CASH + "/statement?from=2022-01-01&to=" + AS_OF,
                FinanceEndToEndTest.TEXT_CSV));
        JsonNode s = FinanceEndToEndTest.tree(json);
        assertThat(s.get("opening_balance").decimalValue()).isEqualByComparingTo("0");
        assertThat(s.get("postings")).extracting(p -> p.get("effective_date").asText() + " "
                        + (p.get("debit").isNull() ? "Cr " + p.get("credit").decimalValue().toPlainString()
                        : "Dr " + p.get("debit").decimalValue().toPlainString()) + " = "
                        + p.get("balance").decimalValue().toPlainString() + " " + p.get("event_type").asText())
                .containsExactly(
                        "2022-11-07 Dr 483.6 = 483.6 DebtCanceled",
                        "2023-01-10 Dr 551.5 = 1035.1 BankSlipPaid",
                        "2026-06-30 Cr 1200 = -164.9 DdaBankSlipUpdated");
        assertThat(s.get("closing_balance").decimalValue()).isEqualByComparingTo("-164.9");
        for (JsonNode p : s.get("postings")) {
            assertThat(p.get("receipt").asText()).isNotBlank();
            assertThat(p.get("event_id").asText()).isNotBlank();
            assertThat(p.get("key").asText()).isNotBlank();
        }
        // the closing balance is the balance as of the last day, and the account's entry in the listing
        JsonNode listed = FinanceEndToEndTest.tree(read("/api/v1/accounts?asOf=" + AS_OF + "&prefix=assets:cash",
                MediaType.APPLICATION_JSON));
        assertThat(listed.get("balance").decimalValue()).isEqualByComparingTo("-164.9");
        assertThat(listed.get("accounts").get(0).get("address").asText()).isEqualTo(CASH);
        JsonNode opening = FinanceEndToEndTest.tree(read("/api/v1/accounts/" + CASH
                + "/statement?from=2023-01-01&to=2023-12-31", MediaType.APPLICATION_JSON));
        assertThat(opening.get("opening_balance").decimalValue()).isEqualByComparingTo("483.6");
        assertThat(opening.get("closing_balance").decimalValue()).isEqualByComparingTo("1035.1");
    }

    @Test
    @Order(3)
    void theJournalListsEveryTransactionWithItsEventEntityReceiptAndBalancedPostings() throws IOException {
        JsonNode journal = FinanceEndToEndTest.tree(read("/api/v1/journal?from=2020-01-01&to=" + AS_OF,
                MediaType.APPLICATION_JSON));
        assertThat(journal.get("transactions")).extracting(t -> t.get("effective_date").asText() + " "
                        + t.get("event_type").asText() + " " + t.get("debits").decimalValue().toPlainString())
                .containsExactly(
                        "2021-04-19 BankSlipPaymentNotified 6676.38",
                        "2022-11-07 DebtCanceled 483.6",
                        "2023-01-10 BankSlipPaid 551.5",
                        "2025-07-10 CollateralConstituted 1500",
                        "2025-07-10 DebtCanceledPermanently 1500",
                        "2026-02-10 InstallmentStatusChanged 1009.68",
                        "2026-06-30 DdaBankSlipUpdated 1200",
                        "2026-06-30 InstallmentBillingIssued 216.97");
        for (JsonNode t : journal.get("transactions")) {
            assertThat(t.get("debits").decimalValue()).isEqualByComparingTo(t.get("credits").decimalValue());
            assertThat(t.get("receipt").asText()).isNotBlank();
            assertThat(t.get("postings").size()).isGreaterThanOrEqualTo(2);
        }
        String csv = read("/api/v1/journal?from=2020-01-01&to=" + AS_OF, FinanceEndToEndTest.TEXT_CSV);
        assertThat(csv).startsWith("effective_date,position,line,account,debit,credit,reverses,event_type,entity,key,"
                + "receipt,event_id,recorded_at\r\n");
        assertThat(csv.split("\r\n")).hasSize(1 + 16);
        JsonNode classes = FinanceEndToEndTest.tree(read("/api/v1/accounts?asOf=" + AS_OF, MediaType.APPLICATION_JSON));
        assertThat(classes.get("accounts")).extracting(a -> a.get("address").asText())
                .containsExactly("assets", "income", "memo", "suspense");
        assertThat(classes.get("balance").decimalValue()).isEqualByComparingTo("0");
    }

    @Test
    @Order(4)
    void everyBadInputIsAProblem() {
        problem("/api/v1/journal?from=2024-02-01&to=2024-01-31", 400, "bad-period",
                "from (2024-02-01) is after to (2024-01-31)");
        problem("/api/v1/journal?to=2024-01-31", 400, "bad-period", "from is required (YYYY-MM-DD)");
        problem("/api/v1/accounts", 400, "bad-as-of", "asOf is required (YYYY-MM-DD)");
        problem("/api/v1/accounts?asOf=2024-02-30", 400, "bad-as-of", "asOf is not a date (YYYY-MM-DD): '2024-02-30'");
        problem("/api/v1/reports/trial-balance?asOf=yesterday", 400, "bad-as-of",
                "asOf is not a date (YYYY-MM-DD): 'yesterday'");
        problem("/api/v1/accounts?asOf=2024-01-01&prefix=assets::cash", 400, "bad-account",
                "prefix is not an account address (segments separated by ':', none empty, at most ten): 'assets::cash'");
        problem("/api/v1/accounts?asOf=2024-01-01&prefix=assets:nowhere", 404, "unknown-account",
                "prefix 'assets:nowhere' names no account of the journal");
        problem("/api/v1/accounts?asOf=2024-01-01&prefix=assets&depth=0", 400, "bad-depth",
                "depth must be a whole number from 1 to 10: '0'");
        problem("/api/v1/accounts?asOf=2024-01-01&depth=two", 400, "bad-depth",
                "depth must be a whole number from 1 to 10: 'two'");
        problem("/api/v1/accounts/assets:nowhere/statement?from=2024-01-01&to=2024-01-31", 404, "unknown-account",
                "account 'assets:nowhere' does not exist in the journal");
        problem("/api/v1/accounts/" + CASH + "/statement?from=2024-01-31&to=2024-01-01", 400, "bad-period",
                "from (2024-01-31) is after to (2024-01-01)");
        problem("/api/v1/accounts/" + CASH + "/statement?from=2024-01-01", 400, "bad-period",
                "to is required (YYYY-MM-DD)");
    }

    void problem(String uri, int status, String type, String detail) {
        for (MediaType accept : List.of(MediaType.APPLICATION_JSON, FinanceEndToEndTest.TEXT_CSV)) {
            web.get().uri(uri).accept(accept).exchange()
                    .expectStatus().isEqualTo(HttpStatus.valueOf(status))
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:qi-ledger:problem:" + type)
                    .jsonPath("$.detail").isEqualTo(detail);
        }
    }

    @Test
    @Order(5)
    void aRebuildReproducesTheJournalByteForByteAndKeepsTheBalanceTrigger() {
        List<String> uris = List.of("/api/v1/journal?from=2000-01-01&to=2100-12-31",
                "/api/v1/accounts?asOf=" + AS_OF + "&depth=5", "/api/v1/reports/trial-balance?asOf=" + AS_OF,
                "/api/v1/accounts/" + CASH + "/statement?from=2000-01-01&to=" + AS_OF);
        List<String> before = uris.stream().map(u -> read(u, MediaType.APPLICATION_JSON) + read(u,
                FinanceEndToEndTest.TEXT_CSV)).toList();
        web.post().uri("/api/v1/projections/rebuild").exchange().expectStatus().isAccepted();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> "done".equals(get("/api/v1/projections").get("rebuild").get("state").asText()));
        List<String> after = uris.stream().map(u -> read(u, MediaType.APPLICATION_JSON) + read(u,
                FinanceEndToEndTest.TEXT_CSV)).toList();
        assertThat(after).isEqualTo(before);
        assertThat(jdbc.sql("""
                        SELECT count(*) FROM pg_trigger
                        WHERE tgrelid = 'public.journal_posting'::regclass AND tgname = 'journal_posting_balanced'
                        """).query(Long.class).single()).isOne();
    }
}
