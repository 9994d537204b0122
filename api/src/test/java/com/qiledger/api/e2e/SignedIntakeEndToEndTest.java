package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qiledger.api.intake.Signer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The service configured for the provider's ES512 scheme, over HTTP: a signed delivery is applied;
 * a refused one is a 401 naming the failed check, is counted, and leaves no receipt.
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class SignedIntakeEndToEndTest {

    static final Path DATA = TestDataDirs.create("e2e-signed");
    static final KeyPair PROVIDER = Signer.p521();
    static final String CLIENT_KEY = "0b6f3d4e-7a1c-4e55-9d0e-2f7c9a1b3c4d";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
        registry.add("ledger.webhook.auth", () -> "qitech-es512");
        registry.add("ledger.webhook.public-key", () -> Signer.pem((ECPublicKey) PROVIDER.getPublic()));
        registry.add("ledger.webhook.client-key", () -> CLIENT_KEY);
    }

    @Autowired
    WebTestClient web;

    @Autowired
    JdbcClient jdbc;

    WebTestClient.ResponseSpec post(byte[] body, byte[] signedBody, String clientKey) {
        String token = Signer.es512(PROVIDER, Signer.claims("POST", "/webhooks/qitech", signedBody, Instant.now()));
        return web.post().uri("/webhooks/qitech").contentType(MediaType.APPLICATION_JSON)
                .header("AUTHORIZATION", token).header("API-CLIENT-KEY", clientKey)
                .bodyValue(body).exchange();
    }

    long receipts() {
        return jdbc.sql("SELECT count(*) FROM receipt").query(Long.class).single();
    }

    @Test
    void aSignedDeliveryIsAppliedAndARefusedOneLeavesNothingButACount() {
        byte[] body = Webhooks.read("bank-slip/registered.json");
        JsonNode answer = post(body, body, CLIENT_KEY).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(answer.get("outcome").asText()).isEqualTo("applied");
        long before = receipts();

        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("registered", "written_off")
                .getBytes(StandardCharsets.UTF_8);
        post(tampered, body, CLIENT_KEY).expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.check").isEqualTo("payload_md5")
                .jsonPath("$.detail").value(d -> assertThat(d.toString()).contains("payload_md5"));
        post(body, body, "not-our-key").expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.check").isEqualTo("client_key");
        web.post().uri("/webhooks/qitech").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isUnauthorized().expectBody().jsonPath("$.check").isEqualTo("client_key");
        assertThat(receipts()).isEqualTo(before);

        String metrics = web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("ledger_webhook_refusals_total{check=\"payload_md5\"} 1.0");
        assertThat(metrics).contains("ledger_webhook_refusals_total{check=\"client_key\"} 2.0");
        assertThat(metrics).contains("ledger_webhook_deliveries_total{family=\"BankSlip\",outcome=\"applied\",type=\"bank_slip.status_change\"} 1.0");
        assertThat(metrics).contains("ledger_webhook_intake_seconds_bucket{outcome=\"applied\"");
    }
}
