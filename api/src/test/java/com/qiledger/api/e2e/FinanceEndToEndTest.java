package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * The finance reads over HTTP: every applied seed example of the five families posted, then the
 * money-movement ledger and the reconciliation report of a period covering them, asserted whole with
 * exact figures; the report's CSV is printed and written to {@code target/seed-reconciliation.csv}.
 * The ledger's clock is fixed at 2026-06-30 12:00 in São Paulo, so the DDA facts (dated by their
 * recording) and every age in days are the same on every run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FinanceEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-finance");
    static final Instant RECORDED = Instant.parse("2026-06-30T15:00:00Z");
    static final ObjectMapper EXACT = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** Every applied seed example, in a lifecycle order (the permanent cancellation last: it is final). */
    static final List<String> SEEDS = List.of(
            "bank-slip/registered.json", "bank-slip/payment_notice.json", "bank-slip/paid_qr_code.json",
            "bank-slip/written_off.json",
            "dda-bank-slip/registration.json", "dda-bank-slip/update.json",
            "installment/update_billing.json", "installment/status_change_paid.json",
            "conciliation-batch/creation.json",
            "debt/collateral.json", "debt/failed_reservation.json", "debt/canceled_ted_refusal.json",
            "debt/canceled_pix_refusal.json", "debt/canceled_permanently.json");

    static final String PERIOD = "from=2020-01-01&to=2026-06-30";

    @TestConfiguration
    static class FixedClock {

        /** The ledger's recorded times start at 2026-06-30T15:00:00Z and tick from there. */
        @Bean
        @Primary
        Clock fixedLedgerClock() {
            Clock system = Clock.tickMillis(java.time.ZoneOffset.UTC);
            return Clock.offset(system, Duration.between(system.instant(), RECORDED));
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    final Map<String, String> receipts = new HashMap<>();

    @BeforeAll
    void postTheSeeds() {
        for (String seed : SEEDS) {
            JsonNode answer = post(Webhooks.read(seed));
            assertThat(answer.get("outcome").asText()).as(seed).isEqualTo("applied");
            receipts.put(seed, answer.get("receipt").asText());
        }
        awaitFinanceCaughtUp();
    }

    /** Waits until the money-movements processor has handled every event in the store. */
    void awaitFinanceCaughtUp() {
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("""
                        SELECT COALESCE((SELECT COALESCE((convert_from(token, 'UTF8')::jsonb ->> 'index'),
                                                         (convert_from(token, 'UTF8')::jsonb ->> 'globalIndex'))::bigint
                                         FROM tokenentry WHERE processorname = 'money-movements' AND token IS NOT NULL),
                                        -1)
                               >= (SELECT max(globalindex) FROM domainevententry)
                        """).query(Boolean.class).single());
    }

    EntityExchangeResult<byte[]> read(String uri, MediaType accept) {
        return web.get().uri(uri).accept(accept).exchange().expectStatus().isOk().expectBody().returnResult();
    }

    static String text(EntityExchangeResult<byte[]> result) {
        return new String(result.getResponseBody(), StandardCharsets.UTF_8);
    }

    static JsonNode tree(String json) throws IOException {
        return EXACT.readTree(json);
    }

    /** The seed report, whole: every figure below is checked by hand in docs/finance.md. */
    static final String SEED_REPORT_CSV = String.join("\r\n",
            "section,rule,category,entity,key,reference,effective_date,count,expected,actual,difference,"
                    + "expected_count,actual_count,difference_count,reason,age_in_days",
            "summary,1,installment_slip_mismatch,,,,,0,0.00,0.00,0.00,,,,,",
            "summary,1,installment_slip_unsettled,,,,,1,216.97,0.00,216.97,,,,,",
            "summary,1,unexpected_settlement,,,,,1,0.00,551.50,-551.50,,,,,",
            "summary,2,installment_paid_shortfall,,,,,0,0.00,0.00,0.00,,,,,",
            "summary,2,installment_overpaid,,,,,0,0.00,0.00,0.00,,,,,",
            "summary,3,slip_notified_unsettled,,,,,1,6676.38,0.00,6676.38,,,,,",
            "summary,4,dda_paid_mismatch,,,,,0,0.00,0.00,0.00,,,,,",
            "summary,4,dda_partially_paid_open,,,,,0,0.00,0.00,0.00,,,,,",
            "summary,5,batch_not_conciliated,,,,,0,0.00,0.00,0.00,0,0,0,,",
            "summary,6,disbursement_refused,,,,,2,483.60,0.00,483.60,,,,,",
            "summary,6,collateral_locks_mismatch,,,,,0,0.00,0.00,0.00,,,,,",
            "summary,7,cancellation_unconfirmed,,,,,0,0.00,0.00,0.00,,,,,",
            "batches_by_reference_date,5,,conciliation-batches,,,2025-06-13,2,0.00,0.00,0.00,0,0,0,,382",
            "break,1,installment_slip_unsettled,installments,bc60ad8e-4dc1-4edc-8c5b-6df1b5c9415d,"
                    + "5f25e9fd-f612-47a3-acff-be9f29d87f6c,2024-07-17,,216.97,0.00,216.97,,,,"
                    + "linked bank slip not settled by the end of the period,713",
            "break,1,unexpected_settlement,bank-slips,505fd25f-89cf-40ca-927c-3800f207146a,,2023-01-10,,0.00,551.50,"
                    + "-551.50,,,,settled bank slip that no installment's current billing names,1267",
            "break,3,slip_notified_unsettled,bank-slips,03c38d18-d12f-4b5f-841c-afab52fe33c5,payment_notice,"
                    + "2021-04-19,,6676.38,0.00,6676.38,,,,"
                    + "payment_notice not settled within 2 days (slip status: payment_notice),1898",
            "break,6,disbursement_refused,debts,<Debt Key>,16faabfc-3876-437d-a4f6-aae17a1d68c9,2022-11-07,,483.60,"
                    + "0.00,483.60,,,,ted_refusal (agencia_conta_invalida): Agência ou Conta Destinatária do Crédito "
                    + "Inválida,1331",
            "break,6,disbursement_refused,debts,<Debt Key>,,2025-03-18,,,0.00,,,,,pix_refusal "
                    + "(invalid_document_number): CPF/CNPJ do usuário recebedor não é compatível com o titular da "
                    + "conta de destino.,469",
            "");

    @Test
    void theReportOfTheSeedExamplesAsCsvIsPrintedWrittenAndExact() throws IOException {
        EntityExchangeResult<byte[]> csv = read("/api/v1/reports/reconciliation?" + PERIOD, TEXT_CSV);
        String body = text(csv);
        System.out.println("Reconciliation report of the seed examples (" + PERIOD + ", clock at "
                + RECORDED + "):\n" + body);
        Path out = Path.of("target", "seed-reconciliation.csv");
        Files.createDirectories(out.getParent());
        Files.write(out, csv.getResponseBody());

        assertThat(csv.getResponseHeaders().getContentType().toString()).isEqualTo("text/csv;charset=UTF-8");
        assertThat(body).isEqualTo(SEED_REPORT_CSV);
    }

    @Test
    void theReportOfTheSeedExamplesAsJsonKeepsAmountsExact() throws IOException {
        EntityExchangeResult<byte[]> json = read("/api/v1/reports/reconciliation?" + PERIOD, MediaType.APPLICATION_JSON);

        assertThat(json.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        String nulls = "\"expected_count\":null,\"actual_count\":null,\"difference_count\":null";
        String zeros = "\"expected\":0,\"actual\":0,\"difference\":0," + nulls;
        assertThat(tree(text(json))).isEqualTo(tree("""
                {"from":"2020-01-01","to":"2026-06-30","unsettled_after_days":2,
                 "summary":[
                  {"rule":1,"category":"installment_slip_mismatch","breaks":0,ZEROS},
                  {"rule":1,"category":"installment_slip_unsettled","breaks":1,"expected":216.97,"actual":0,
                   "difference":216.97,NULLS},
                  {"rule":1,"category":"unexpected_settlement","breaks":1,"expected":0,"actual":551.5,
                   "difference":-551.5,NULLS},
                  {"rule":2,"category":"installment_paid_shortfall","breaks":0,ZEROS},
                  {"rule":2,"category":"installment_overpaid","breaks":0,ZEROS},
                  {"rule":3,"category":"slip_notified_unsettled","breaks":1,"expected":6676.38,"actual":0,
                   "difference":6676.38,NULLS},
                  {"rule":4,"category":"dda_paid_mismatch","breaks":0,ZEROS},
                  {"rule":4,"category":"dda_partially_paid_open","breaks":0,ZEROS},
                  {"rule":5,"category":"batch_not_conciliated","breaks":0,"expected":0,"actual":0,"difference":0,
                   "expected_count":0,"actual_count":0,"difference_count":0},
                  {"rule":6,"category":"disbursement_refused","breaks":2,"expected":483.6,"actual":0,
                   "difference":483.6,NULLS},
                  {"rule":6,"category":"collateral_locks_mismatch","breaks":0,ZEROS},
                  {"rule":7,"category":"cancellation_unconfirmed","breaks":0,ZEROS}],
                 "batches_by_reference_date":[
                  {"reference_date":"2025-06-13","batches":2,"total_amount":0,"conciliated_amount":0,"open_amount":0,
                   "total_payment_orders":0,"conciliated_payment_orders":0,"open_payment_orders":0,"age_in_days":382}],
                 "breaks":[
                  {"rule":1,"category":"installment_slip_unsettled","entity":"installments",
                   "key":"bc60ad8e-4dc1-4edc-8c5b-6df1b5c9415d","reference":"5f25e9fd-f612-47a3-acff-be9f29d87f6c",
                   "effective_date":"2024-07-17","expected":216.97,"actual":0,"difference":216.97,NULLS,
                   "reason":"linked bank slip not settled by the end of the period","age_in_days":713},
                  {"rule":1,"category":"unexpected_settlement","entity":"bank-slips",
                   "key":"505fd25f-89cf-40ca-927c-3800f207146a","reference":null,"effective_date":"2023-01-10",
                   "expected":0,"actual":551.5,"difference":-551.5,NULLS,
                   "reason":"settled bank slip that no installment's current billing names","age_in_days":1267},
                  {"rule":3,"category":"slip_notified_unsettled","entity":"bank-slips",
                   "key":"03c38d18-d12f-4b5f-841c-afab52fe33c5","reference":"payment_notice",
                   "effective_date":"2021-04-19","expected":6676.38,"actual":0,"difference":6676.38,NULLS,
                   "reason":"payment_notice not settled within 2 days (slip status: payment_notice)",
                   "age_in_days":1898},
                  {"rule":6,"category":"disbursement_refused","entity":"debts","key":"<Debt Key>",
                   "reference":"16faabfc-3876-437d-a4f6-aae17a1d68c9","effective_date":"2022-11-07",
                   "expected":483.6,"actual":0,"difference":483.6,NULLS,
                   "reason":"ted_refusal (agencia_conta_invalida): Agência ou Conta Destinatária do Crédito Inválida",
                   "age_in_days":1331},
                  {"rule":6,"category":"disbursement_refused","entity":"debts","key":"<Debt Key>","reference":null,
                   "effective_date":"2025-03-18","expected":null,"actual":0,"difference":null,NULLS,
                   "reason":"pix_refusal (invalid_document_number): CPF/CNPJ do usuário recebedor não é compatível com o titular da conta de destino.",
                   "age_in_days":469}]}
                """.replace("ZEROS", zeros).replace("NULLS", nulls)));
    }

    @Test
    void theLedgerOfTheSeedExamplesListsEveryMonetaryFactWithItsReceiptAndEvent() throws IOException {
        JsonNode ledger = tree(text(read("/api/v1/ledger/entries?" + PERIOD, MediaType.APPLICATION_JSON)));

        assertThat(ledger.get("from").asText()).isEqualTo("2020-01-01");
        assertThat(ledger.get("to").asText()).isEqualTo("2026-06-30");
        JsonNode entries = ledger.get("entries");
        assertThat(entries).hasSize(7);
        String[][] expected = {
            // effective_date, entity, key, kind, amount, source, reference, detail, seed
            {"2021-04-19", "bank-slips", "03c38d18-d12f-4b5f-841c-afab52fe33c5", "slip_payment_notified", "6676.38",
                "provider", null, "payment_notice", "bank-slip/payment_notice.json"},
            {"2022-11-07", "debts", "<Debt Key>", "disbursement_refused", "483.6", "provider",
                "16faabfc-3876-437d-a4f6-aae17a1d68c9",
                "ted_refusal (agencia_conta_invalida): Agência ou Conta Destinatária do Crédito Inválida",
                "debt/canceled_ted_refusal.json"},
            {"2023-01-10", "bank-slips", "505fd25f-89cf-40ca-927c-3800f207146a", "slip_settled", "551.5", "provider",
                null, "paid", "bank-slip/paid_qr_code.json"},
            {"2025-03-18", "debts", "<Debt Key>", "disbursement_refused", null, "provider", null,
                "pix_refusal (invalid_document_number): CPF/CNPJ do usuário recebedor não é compatível com o "
                        + "titular da conta de destino.", "debt/canceled_pix_refusal.json"},
            {"2025-07-10", "debts", "<Debt Key>", "collateral_locked", "1500", "provider", "private_pension",
                "constituted", "debt/collateral.json"},
            {"2026-02-10", "installments", "92a05d9c-e457-4f28-9fa8-86be638ee2d0", "installment_payment", "1009.68",
                "provider", "f03e1fbc-6d7a-456b-bd6a-db0faac1b481", "pix", "installment/status_change_paid.json"},
            {"2026-06-30", "dda-bank-slips", "7c52d5f6-9db1-4a3c-bb03-1f76a2e8f9d2", "dda_payment", "1200",
                "recorded", null, "paid", "dda-bank-slip/update.json"},
        };
        for (int i = 0; i < expected.length; i++) {
            JsonNode e = entries.get(i);
            String[] x = expected[i];
            assertThat(e.get("effective_date").asText()).isEqualTo(x[0]);
            assertThat(e.get("entity").asText()).isEqualTo(x[1]);
            assertThat(e.get("key").asText()).isEqualTo(x[2]);
            assertThat(e.get("kind").asText()).isEqualTo(x[3]);
            assertThat(e.get("amount").isNull() ? null : e.get("amount").decimalValue())
                    .isEqualTo(x[4] == null ? null : new java.math.BigDecimal(x[4]));
            assertThat(e.get("effective_source").asText()).isEqualTo(x[5]);
            if (x[6] != null) {
                assertThat(e.get("reference").asText()).isEqualTo(x[6]);
            }
            assertThat(e.get("detail").asText()).isEqualTo(x[7]);
            assertThat(e.get("receipt").asText()).isEqualTo(receipts.get(x[8]));
            assertThat(e.get("event_id").asText()).isEqualTo(jdbc.sql(
                            "SELECT eventidentifier FROM domainevententry WHERE globalindex = :p")
                    .param("p", e.get("position").asLong()).query(String.class).single());
            assertThat(Instant.parse(e.get("recorded_at").asText())).isBetween(RECORDED, RECORDED.plusSeconds(120));
        }
        // The DDA fact carries no provider time: dated by its recording, in São Paulo.
        assertThat(entries.get(6).get("effective_at").asText()).isEqualTo(entries.get(6).get("recorded_at").asText());
        assertThat(entries.get(0).get("effective_at").asText()).isEqualTo("2021-04-19T23:04:06Z");

        String csv = text(read("/api/v1/ledger/entries?" + PERIOD, TEXT_CSV));
        List<String> lines = List.of(csv.split("\r\n"));
        assertThat(lines).hasSize(8);
        assertThat(lines.get(0)).isEqualTo("effective_date,entity,key,kind,amount,effective_source,effective_at,"
                + "recorded_at,reference,detail,receipt,event_id,position,ordinal");
        assertThat(lines.get(3)).startsWith("2023-01-10,bank-slips,505fd25f-89cf-40ca-927c-3800f207146a,slip_settled,"
                + "551.50,provider,2023-01-10T17:08:46Z,");
        assertThat(lines.get(4)).startsWith("2025-03-18,debts,<Debt Key>,disbursement_refused,,provider,");
    }

    @Test
    void theSameEventsGiveTheSameBytesAndTheGenerationTimeIsAHeader() {
        for (String uri : List.of("/api/v1/reports/reconciliation?" + PERIOD, "/api/v1/ledger/entries?" + PERIOD)) {
            for (MediaType type : List.of(MediaType.APPLICATION_JSON, TEXT_CSV)) {
                EntityExchangeResult<byte[]> first = read(uri, type);
                EntityExchangeResult<byte[]> second = read(uri, type);
                assertThat(second.getResponseBody()).as(uri + " " + type).isEqualTo(first.getResponseBody());
                for (EntityExchangeResult<byte[]> answer : List.of(first, second)) {
                    String generated = answer.getResponseHeaders().getFirst("X-Generated-At");
                    assertThat(Instant.parse(generated)).isBetween(RECORDED, RECORDED.plusSeconds(600));
                    assertThat(text(answer)).doesNotContain(generated);
                }
            }
        }
    }

    @Test
    void aResentSeedAddsNothingToTheLedgerNorToTheReport() {
        byte[] before = read("/api/v1/reports/reconciliation?" + PERIOD, TEXT_CSV).getResponseBody();
        byte[] ledgerBefore = read("/api/v1/ledger/entries?" + PERIOD, TEXT_CSV).getResponseBody();

        for (String seed : List.of("bank-slip/payment_notice.json", "conciliation-batch/creation.json",
                "dda-bank-slip/update.json")) {
            assertThat(post(Webhooks.read(seed)).get("outcome").asText()).isEqualTo("duplicate");
        }
        awaitFinanceCaughtUp();

        assertThat(read("/api/v1/reports/reconciliation?" + PERIOD, TEXT_CSV).getResponseBody()).isEqualTo(before);
        assertThat(read("/api/v1/ledger/entries?" + PERIOD, TEXT_CSV).getResponseBody()).isEqualTo(ledgerBefore);
    }

    @Test
    void aReasonWithACommaAQuoteAndALineBreakIsQuotedAsRfc4180Says() throws IOException {
        String body = """
                {"key":"finance-quoting","status":"canceled","webhook_type":"debt",
                 "event_datetime":"2031-01-02 10:00:00",
                 "data":{"cancel_reason":"pix_refusal",
                         "pix_refusal":{"reason_enumerator":"invalid_key","reason":"Chave \\"X\\", inválida\\nlinha 2"}}}
                """;
        assertThat(post(body.getBytes(StandardCharsets.UTF_8)).get("outcome").asText()).isEqualTo("applied");
        awaitFinanceCaughtUp();

        String csv = text(read("/api/v1/reports/reconciliation?from=2031-01-01&to=2031-01-31", TEXT_CSV));

        assertThat(csv).endsWith("\r\nbreak,6,disbursement_refused,debts,finance-quoting,,2031-01-02,,,0.00,,,,,"
                + "\"pix_refusal (invalid_key): Chave \"\"X\"\", inválida\nlinha 2\",29\r\n");
        // Read back by a CSV reader, the field is the reason as sent.
        var rows = new com.fasterxml.jackson.dataformat.csv.CsvMapper()
                .readerForListOf(String.class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY)
                .<List<String>>readValues(csv).readAll();
        assertThat(rows.get(rows.size() - 1).get(14)).isEqualTo("pix_refusal (invalid_key): Chave \"X\", inválida\nlinha 2");
        String ledger = text(read("/api/v1/ledger/entries?from=2031-01-02&to=2031-01-02", TEXT_CSV));
        assertThat(ledger).contains(",\"pix_refusal (invalid_key): Chave \"\"X\"\", inválida\nlinha 2\",");
    }

    @Test
    void aPeriodMustBeTwoDatesInOrder() {
        for (String path : List.of("/api/v1/reports/reconciliation", "/api/v1/ledger/entries")) {
            problem(path + "?to=2024-01-31", "from is required (YYYY-MM-DD)");
            problem(path + "?from=2024-01-01", "to is required (YYYY-MM-DD)");
            problem(path, "from is required (YYYY-MM-DD); to is required (YYYY-MM-DD)");
            problem(path + "?from=2024-13-01&to=2024-01-31", "from is not a date (YYYY-MM-DD): '2024-13-01'");
            problem(path + "?from=2024-02-01&to=2024-01-31", "from (2024-02-01) is after to (2024-01-31)");
        }
        // A single day is a period.
        read("/api/v1/reports/reconciliation?from=2024-01-31&to=2024-01-31", MediaType.APPLICATION_JSON);
    }

    void problem(String uri, String detail) {
        for (MediaType accept : List.of(MediaType.APPLICATION_JSON, TEXT_CSV)) {
            web.get().uri(uri).accept(accept).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type").isEqualTo("urn:qi-ledger:problem:bad-period")
                    .jsonPath("$.detail").isEqualTo(detail);
        }
    }

    static final MediaType TEXT_CSV = MediaType.valueOf("text/csv");
}
