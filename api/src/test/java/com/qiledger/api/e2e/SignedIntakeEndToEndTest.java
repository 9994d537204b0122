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
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
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
    @org.junit.jupiter.api.Order(1)     // it counts the context's deliveries from zero
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

    @Test
    @org.junit.jupiter.api.Order(2)
    void theProvidersSignatureIsKeptWithTheReceiptAndVerifiedAgainLater() throws Exception {
        byte[] body = Webhooks.read("bank-slip/paid_qr_code.json");
        String receipt = post(body, body, CLIENT_KEY).expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody().get("receipt").asText();
        assertThat(jdbc.sql("SELECT signature_method || ' ' || signature_uri FROM receipt WHERE receipt_id = "
                + "CAST(:r AS UUID)").param("r", receipt).query(String.class).single()).isEqualTo("POST /webhooks/qitech");

        JsonNode valid = signature(receipt);
        assertThat(valid.get("stored").asBoolean()).isTrue();
        assertThat(valid.get("valid").asBoolean()).isTrue();
        assertThat(valid.get("method").asText()).isEqualTo("POST");

        // an insider replaces the body with the fence lifted: the kept signature no longer holds
        byte[] original = body;
        byte[] forged = new String(body, StandardCharsets.UTF_8).replace("paid", "written_off")
                .getBytes(StandardCharsets.UTF_8);
        try {
            replaceBody(receipt, forged);
            JsonNode broken = signature(receipt);
            assertThat(broken.get("valid").asBoolean()).isFalse();
            assertThat(broken.get("check").asText()).isEqualTo("payload_md5");
            try (java.sql.Connection c = dataSource.getConnection()) {
                var v = com.qiledger.api.audit.VerifyCommand.verify(c, java.util.Optional.empty(),
                        java.util.Optional.empty(), com.qiledger.api.audit.VerifyCommand.signatureCheck(
                                (ECPublicKey) PROVIDER.getPublic(), CLIENT_KEY));
                assertThat(v.breaks().stream().map(b -> b.line()).toList()).contains("BREAK table=receipt entity=receipt "
                        + "key=" + receipt + " receipt " + receipt + ": stored provider signature no longer verifies: "
                        + "payload_md5 (the body's MD5 is not the signed payload_md5: the body was changed)");
            }
        } finally {
            replaceBody(receipt, original);
        }
        assertThat(signature(receipt).get("valid").asBoolean()).isTrue();
        web.get().uri("/api/v1/receipts/{r}/signature", java.util.UUID.randomUUID()).exchange().expectStatus()
                .isNotFound();
    }

    @Autowired
    javax.sql.DataSource dataSource;

    JsonNode signature(String receipt) {
        return web.get().uri("/api/v1/receipts/{r}/signature", receipt).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    void replaceBody(String receipt, byte[] body) throws Exception {
        try (java.sql.Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (java.sql.Statement s = c.createStatement();
                 java.sql.PreparedStatement update = c.prepareStatement(
                         "UPDATE receipt SET body = ? WHERE receipt_id = CAST(? AS UUID)")) {
                s.execute("SET LOCAL session_replication_role = replica");
                update.setBytes(1, body);
                update.setString(2, receipt);
                update.executeUpdate();
            }
            c.commit();
        }
    }
}
