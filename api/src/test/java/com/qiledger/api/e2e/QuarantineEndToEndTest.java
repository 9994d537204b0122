package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The quarantine over HTTP: kept with its bytes and reason, listed oldest first, re-driven once. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class QuarantineEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-quarantine");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    @Test
    void aQuarantinedDeliveryIsKeptListedAndStaysQuarantinedWhileItCannotBeApplied() {
        byte[] body = "{\"webhook_type\":\"not.a.family\",\"key\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        JsonNode answer = post(body);
        assertThat(answer.get("outcome").asText()).isEqualTo("quarantined");
        assertThat(answer.get("reason").asText()).isEqualTo("unknown webhook_type 'not.a.family'");
        String receipt = answer.get("receipt").asText();

        byte[] kept = web.get().uri("/api/v1/receipts/{r}/body", receipt).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(kept).isEqualTo(body);

        JsonNode redriven = web.post().uri("/api/v1/receipts/{r}/redrive", receipt).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(redriven.get("outcome").asText()).isEqualTo("quarantined");
        assertThat(redriven.get("reason").asText()).isEqualTo("unknown webhook_type 'not.a.family'");
        JsonNode view = get("/api/v1/receipts/{r}", receipt);
        assertThat(view.get("outcome").asText()).isEqualTo("quarantined");
        assertThat(view.get("redrives")).hasSize(1);
        assertThat(view.get("redrives").get(0).get("outcome").asText()).isEqualTo("quarantined");
        assertThat(view.get("redrives").get(0).get("requested_by").asText()).isNotBlank();
    }

    @Test
    void aRedriveAppliesADeliveryThatTheCurrentCodeReadsAndOnlyOnce() throws Exception {
        byte[] body = Webhooks.read("bank-slip/written_off.json");
        UUID receipt = quarantinedByAnOlderVersion(body, "unknown webhook_type 'bank_slip.status_change'");

        List<CompletableFuture<Integer>> racing = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            racing.add(CompletableFuture.supplyAsync(() -> web.post().uri("/api/v1/receipts/{r}/redrive", receipt)
                    .exchange().returnResult(String.class).getStatus().value()));
        }
        List<Integer> statuses = racing.stream().map(CompletableFuture::join).sorted().toList();
        assertThat(statuses).containsExactly(200, 409);

        JsonNode view = get("/api/v1/receipts/{r}", receipt);
        assertThat(view.get("outcome").asText()).isEqualTo("applied");
        assertThat(view.get("position").asLong()).isPositive();
        assertThat(view.get("redrives")).hasSize(1);
        assertThat(view.get("redrives").get(0).get("outcome").asText()).isEqualTo("applied");
        long events = jdbc.sql("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = "
                + "'BankSlip:93e58a9a-287b-4bf2-9cdc-5467a9d3d9bf'").query(Long.class).single();
        assertThat(events).isEqualTo(1);

        web.post().uri("/api/v1/receipts/{r}/redrive", receipt).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("not quarantined"));
        // the provider resending the same bytes now finds the applied receipt
        assertThat(post(body).get("outcome").asText()).isEqualTo("duplicate");
    }

    @Test
    void unknownOrMalformedReceiptsAreAnsweredPlainly() {
        web.post().uri("/api/v1/receipts/{r}/redrive", UUID.randomUUID()).exchange().expectStatus().isNotFound();
        web.post().uri("/api/v1/receipts/not-a-uuid/redrive").exchange().expectStatus().isBadRequest();
        web.get().uri("/api/v1/receipts?outcome=lost").exchange().expectStatus().isBadRequest();
        web.get().uri("/api/v1/receipts?limit=0").exchange().expectStatus().isBadRequest();
    }

    @Test
    void theQuarantineIsListedOldestFirstInPages() throws Exception {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(quarantinedByAnOlderVersion(("{\"page\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                    "listed " + i).toString());
            Thread.sleep(5);
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = after == null ? get("/api/v1/receipts?outcome=quarantined&limit=2")
                    : get("/api/v1/receipts?outcome=quarantined&limit=2&after={a}", after);
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items").forEach(item -> {
                assertThat(item.get("outcome").asText()).isEqualTo("quarantined");
                seen.add(item.get("receipt").asText());
            });
            after = page.get("next_after").isNull() ? null : page.get("next_after").asText();
        } while (after != null);
        assertThat(seen).containsSubsequence(mine);
        assertThat(seen).doesNotHaveDuplicates();
    }
}
