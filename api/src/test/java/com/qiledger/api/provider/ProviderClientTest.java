package com.qiledger.api.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one provider client against the signature-checking stub: the signature the provider verifies,
 * the key in each form it is handed out, and the one policy's answer to every way a call can end.
 */
class ProviderClientTest {

    static final ProviderStub STUB = new ProviderStub();
    static final String PATH = "/debt/d-1/cancel_permanently";

    @AfterAll
    static void stop() {
        STUB.close();
    }

    @BeforeEach
    void reset() {
        STUB.reset();
    }

    static ProviderProperties settings(String baseUrl, String privateKey, Duration timeout) {
        return new ProviderProperties(baseUrl, ProviderStub.CLIENT_KEY, privateKey, timeout,
                new ProviderProperties.Retry(4, Duration.ofMillis(200), Duration.ofMillis(500)), Duration.ofMillis(100));
    }

    static ProviderClient client(String privateKey) {
        return new ProviderClient(settings(STUB.baseUrl(), privateKey, Duration.ofSeconds(2)), Clock.systemUTC());
    }

    static ProviderClient.Call call(String body) {
        return new ProviderClient.Call("POST", PATH, body.getBytes(StandardCharsets.UTF_8), "req-1");
    }

    @Test
    void aSignedCallWithTheProvidersEcPrivateKeyIsAcceptedWithItsBodyAsSent() {
        STUB.answer(PATH, aResponse().withStatus(200).withBody("{\"disbursement_date\": \"2025-03-19\", \"x\": 1.50}"));

        ProviderClient.Answer answer = client(ProviderStub.resource("partner-ec-private.pem"))
                .send(call("{\"a\":1}"));

        assertThat(answer.outcome()).isEqualTo(ProviderClient.Outcome.ACCEPTED);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"disbursement_date\": \"2025-03-19\", \"x\": 1.50}");
        LoggedRequest sent = STUB.requests(PATH).get(0);
        assertThat(STUB.refusal(sent)).isNull();
        assertThat(sent.getHeader(ProviderClient.REQUEST_ID_HEADER)).isEqualTo("req-1");
        assertThat(sent.getBodyAsString()).isEqualTo("{\"a\":1}");
    }

    @Test
    void thePkcs8KeyInlineOrAsAPathSignsAlikeAndAnEmptyBodyIsSignedToo() {
        STUB.answer(PATH, aResponse().withStatus(200));

        assertThat(client(ProviderStub.resource("partner-pkcs8-private.pem")).send(call("")).outcome())
                .isEqualTo(ProviderClient.Outcome.ACCEPTED);
        assertThat(client(ProviderStub.keyFile("partner-ec-private.pem").toString()).send(call("")).outcome())
                .isEqualTo(ProviderClient.Outcome.ACCEPTED);
        assertThat(STUB.requests(PATH)).hasSize(2).allSatisfy(r -> assertThat(STUB.refusal(r)).isNull());
    }

    @Test
    void theStubRefusesARequestSignedWithAnotherKeySoTheCheckCanFail() {
        STUB.answer(PATH, aResponse().withStatus(200));
        String other = otherP521Key();

        ProviderClient.Answer answer = client(other).send(call("{}"));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.outcome()).isEqualTo(ProviderClient.Outcome.REFUSED);
        assertThat(STUB.refusal(STUB.requests(PATH).get(0))).isEqualTo("signature");
    }

    @Test
    void a4xxIsRefusedWithItsBodyAnd5xxIsAFailureToRetry() {
        STUB.answer(PATH, aResponse().withStatus(422).withBody("{\"title\": \"debt already canceled\"}"));
        ProviderClient client = client(ProviderStub.resource("partner-ec-private.pem"));
        ProviderClient.Answer refused = client.send(call("{}"));
        assertThat(refused.outcome()).isEqualTo(ProviderClient.Outcome.REFUSED);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).isEqualTo("{\"title\": \"debt already canceled\"}");

        STUB.reset();
        STUB.answer(PATH, aResponse().withStatus(503).withBody("busy"));
        ProviderClient.Answer failed = client.send(call("{}"));
        assertThat(failed.outcome()).isEqualTo(ProviderClient.Outcome.FAILED);
        assertThat(failed.status()).isEqualTo(503);
    }

    @Test
    void a429IsAFailureToRetryAfterTheBackOffNotARefusal() {
        STUB.answer(PATH, aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("{\"title\": \"slow down\"}"));
        ProviderClient.Answer busy = client(ProviderStub.resource("partner-ec-private.pem")).send(call("{}"));
        assertThat(busy.outcome()).isEqualTo(ProviderClient.Outcome.FAILED);
        assertThat(busy.status()).isEqualTo(429);
        assertThat(busy.body()).isEqualTo("{\"title\": \"slow down\"}");
    }

    @Test
    void aTimeOutAndAProviderThatIsDownAreFailuresWithTheReason() {
        STUB.answer(PATH, aResponse().withStatus(200).withFixedDelay(1500));
        ProviderClient slow = new ProviderClient(settings(STUB.baseUrl(),
                ProviderStub.resource("partner-ec-private.pem"), Duration.ofMillis(300)), Clock.systemUTC());
        ProviderClient.Answer timedOut = slow.send(call("{}"));
        assertThat(timedOut.outcome()).isEqualTo(ProviderClient.Outcome.FAILED);
        assertThat(timedOut.status()).isNull();
        assertThat(timedOut.error()).isEqualTo("no answer within 300 ms");
        // the stub logs the request once it has answered: wait, or it lands in the next test's journal
        await().atMost(Duration.ofSeconds(10)).until(() -> STUB.requests(PATH).size() == 1);

        ProviderClient down = new ProviderClient(settings("http://127.0.0.1:" + freePort(),
                ProviderStub.resource("partner-ec-private.pem"), Duration.ofSeconds(1)), Clock.systemUTC());
        ProviderClient.Answer refusedConnection = down.send(call("{}"));
        assertThat(refusedConnection.outcome()).isEqualTo(ProviderClient.Outcome.FAILED);
        assertThat(refusedConnection.error()).startsWith("connection failed: ConnectException");
    }

    @Test
    void backOffDoublesUpToItsCap() {
        ProviderClient client = client(ProviderStub.resource("partner-ec-private.pem"));
        assertThat(List.of(client.backoff(1), client.backoff(2), client.backoff(3), client.backoff(9)))
                .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(500),
                        Duration.ofMillis(500));
        assertThat(client.maxAttempts()).isEqualTo(4);
    }

    @Test
    void withoutASettingNothingIsSentAndTheSettingIsNamed() {
        ProviderClient unset = new ProviderClient(new ProviderProperties(null, null, null, Duration.ofSeconds(1),
                new ProviderProperties.Retry(3, Duration.ofSeconds(1), Duration.ofSeconds(5)), Duration.ofSeconds(1)),
                Clock.systemUTC());
        assertThat(unset.missingSetting()).isEqualTo("ledger.provider.base-url");
        assertThatThrownBy(() -> unset.send(call("{}"))).isInstanceOf(ProviderNotConfiguredException.class)
                .hasMessageContaining("ledger.provider.base-url");
        assertThat(new ProviderProperties("http://x", null, "k", null, null, null).missingSetting())
                .isEqualTo("ledger.provider.client-key");
        assertThat(new ProviderProperties("http://x", "c", " ", null, null, null).missingSetting())
                .isEqualTo("ledger.provider.private-key");
        assertThat(STUB.all()).isEmpty();
    }

    @Test
    void aKeyThatCannotSignEs512StopsTheStartWithTheReasonNeverTheKey() {
        assertThatThrownBy(() -> PartnerKeys.privateKey(ProviderStub.resource("p256-ec-private.pem")))
                .hasMessageContaining("P-521");
        assertThatThrownBy(() -> PartnerKeys.privateKey(ProviderStub.resource("partner-public.pem")))
                .hasMessageContaining("EC PRIVATE KEY");
        assertThatThrownBy(() -> PartnerKeys.privateKey("/no/such/key.pem"))
                .hasMessageContaining("neither PEM text nor a readable PEM file");
        String pem = ProviderStub.resource("partner-ec-private.pem");
        String body = pem.replaceAll("-----(BEGIN|END) EC PRIVATE KEY-----", "").strip();
        assertThatThrownBy(() -> PartnerKeys.privateKey("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----"))
                .isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(body.substring(0, 20)));
    }

    /** A P-521 key the stub does not know. */
    static String otherP521Key() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp521r1"));
            byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
            return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(pkcs8)
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
