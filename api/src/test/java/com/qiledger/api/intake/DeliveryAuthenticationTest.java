package com.qiledger.api.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/** Both signature schemes of WEBHOOKS.md against tokens built here, one failed check at a time. */
class DeliveryAuthenticationTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String PATH = "/webhooks/qitech";
    static final String CLIENT_KEY = "4d2c1a5e-1111-4222-8333-444455556666";
    static final byte[] BODY = "{\"webhook_type\":\"debt\",\"key\":\"k\",\"status\":\"canceled_permanently\"}"
            .getBytes(StandardCharsets.UTF_8);
    static final KeyPair PROVIDER = Signer.p521();
    static final KeyPair STRANGER = Signer.p521();

    @Nested
    class QiTechEs512 {

        // verified as in production: by the provider Es512Provider chooses (the native one here)
        final QiTechEs512Authentication auth = new QiTechEs512Authentication(
                QiTechEs512Authentication.publicKey(Signer.pem((ECPublicKey) PROVIDER.getPublic())),
                CLIENT_KEY, Duration.ofMinutes(5), CLOCK, Es512Provider.choose().provider());

        Optional<DeliveryAuthenticator.Refusal> verify(String token, String clientKey, byte[] body) {
            HttpHeaders headers = new HttpHeaders();
            if (token != null) {
                headers.add("AUTHORIZATION", token);
            }
            if (clientKey != null) {
                headers.add("API-CLIENT-KEY", clientKey);
            }
            return auth.verify(HttpMethod.POST, PATH, headers, body);
        }

        String signed(JWTClaimsSet claims) {
            return Signer.es512(PROVIDER, claims);
        }

        @Test
        void aDeliverySignedByTheProviderPasses() {
            assertThat(verify(signed(Signer.claims("POST", PATH, BODY, NOW)), CLIENT_KEY, BODY)).isEmpty();
            // micro-second timestamps as in the provider's example, and a Bearer prefix, are accepted
            JWTClaimsSet claims = new JWTClaimsSet.Builder(Signer.claims("POST", PATH, BODY, NOW))
                    .claim("timestamp", "2026-11-25T11:58:27.885731Z").build();
            assertThat(verify("Bearer " + signed(claims), CLIENT_KEY, BODY)).isEmpty();
        }

        @Test
        void aBodyChangedAfterSigningIsRefused() {
            byte[] changed = new String(BODY, StandardCharsets.UTF_8).replace("canceled_permanently", "canceled")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(verify(signed(Signer.claims("POST", PATH, BODY, NOW)), CLIENT_KEY, changed))
                    .map(DeliveryAuthenticator.Refusal::check).contains("payload_md5");
        }

        @Test
        void aStaleSignatureIsRefused() {
            assertThat(verify(signed(Signer.claims("POST", PATH, BODY, NOW.minus(Duration.ofMinutes(6)))),
                    CLIENT_KEY, BODY)).map(DeliveryAuthenticator.Refusal::check).contains("timestamp");
            assertThat(verify(signed(Signer.claims("POST", PATH, BODY, NOW.minus(Duration.ofMinutes(4)))),
                    CLIENT_KEY, BODY)).isEmpty();
        }

        @Test
        void aSignatureFromTheFutureIsRefused() {
            assertThat(verify(signed(Signer.claims("POST", PATH, BODY, NOW.plus(Duration.ofMinutes(6)))),
                    CLIENT_KEY, BODY)).map(DeliveryAuthenticator.Refusal::check).contains("timestamp");
        }

        @Test
        void aTimestampThatIsNotAnInstantIsRefused() {
            JWTClaimsSet claims = new JWTClaimsSet.Builder(Signer.claims("POST", PATH, BODY, NOW))
                    .claim("timestamp", "yesterday").build();
            assertThat(verify(signed(claims), CLIENT_KEY, BODY))
                    .map(DeliveryAuthenticator.Refusal::check).contains("timestamp");
        }

        @Test
        void aTokenSignedForAnotherUriOrMethodIsRefused() {
            assertThat(verify(signed(Signer.claims("POST", "/other/path", BODY, NOW)), CLIENT_KEY, BODY))
                    .map(DeliveryAuthenticator.Refusal::check).contains("uri");
            assertThat(verify(signed(Signer.claims("PUT", PATH, BODY, NOW)), CLIENT_KEY, BODY))
                    .map(DeliveryAuthenticator.Refusal::check).contains("method");
        }

        @Test
        void aWrongOrMissingClientKeyIsRefused() {
            String token = signed(Signer.claims("POST", PATH, BODY, NOW));
            assertThat(verify(token, "another-key", BODY)).map(DeliveryAuthenticator.Refusal::check)
                    .contains("client_key");
            assertThat(verify(token, null, BODY)).map(DeliveryAuthenticator.Refusal::check).contains("client_key");
        }

        @Test
        void aTokenSignedByAnotherKeyIsRefused() {
            assertThat(verify(Signer.es512(STRANGER, Signer.claims("POST", PATH, BODY, NOW)), CLIENT_KEY, BODY))
                    .map(DeliveryAuthenticator.Refusal::check).contains("signature");
        }

        @Test
        void otherAlgorithmsAreRefusedWhateverTheTokenSays() {
            JWTClaimsSet claims = Signer.claims("POST", PATH, BODY, NOW);
            // HS512 keyed with the public key's bytes: the classic algorithm-confusion attack
            byte[] publicBytes = PROVIDER.getPublic().getEncoded();
            assertThat(verify(Signer.hmac(JWSAlgorithm.HS512, publicBytes, claims), CLIENT_KEY, BODY))
                    .map(DeliveryAuthenticator.Refusal::check).contains("algorithm");
            assertThat(verify(Signer.unsigned(claims), CLIENT_KEY, BODY))
                    .map(DeliveryAuthenticator.Refusal::check).contains("algorithm");
            // a genuine ES512 signature relabelled as ES384 does not pass either
            String token = signed(claims);
            String relabelled = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("{\"alg\":\"ES384\"}".getBytes(StandardCharsets.UTF_8))
                    + token.substring(token.indexOf('.'));
            assertThat(verify(relabelled, CLIENT_KEY, BODY)).map(DeliveryAuthenticator.Refusal::check)
                    .contains("algorithm");
        }

        @Test
        void aMalformedOrMissingTokenIsRefused() {
            assertThat(verify("not.a.jwt", CLIENT_KEY, BODY)).map(DeliveryAuthenticator.Refusal::check)
                    .contains("token");
            assertThat(verify("garbage", CLIENT_KEY, BODY)).map(DeliveryAuthenticator.Refusal::check)
                    .contains("token");
            assertThat(verify(null, CLIENT_KEY, BODY)).map(DeliveryAuthenticator.Refusal::check)
                    .contains("signature");
        }

        @Test
        void theRefusalNeverEchoesTheToken() {
            String token = Signer.es512(STRANGER, Signer.claims("POST", PATH, BODY, NOW));
            assertThat(verify(token, CLIENT_KEY, BODY).orElseThrow().detail()).doesNotContain(token);
        }
    }

    @Nested
    class Configuration {

        @Test
        void thePublicKeyIsReadFromPemTextOrAPemFile(@TempDir Path dir) throws Exception {
            String pem = Signer.pem((ECPublicKey) PROVIDER.getPublic());
            Path file = dir.resolve("qitech.pem");
            Files.writeString(file, pem);
            assertThat(QiTechEs512Authentication.publicKey(file.toString())).isEqualTo(PROVIDER.getPublic());
            assertThat(QiTechEs512Authentication.publicKey(pem)).isEqualTo(PROVIDER.getPublic());
        }

        @Test
        void aKeyThatIsNotP521OrNotPemStopsStartUp() throws Exception {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            ECPublicKey p256 = (ECPublicKey) generator.generateKeyPair().getPublic();
            assertThatThrownBy(() -> new QiTechEs512Authentication(p256, CLIENT_KEY, Duration.ofMinutes(5), CLOCK))
                    .hasMessageContaining("P-521");
            assertThatThrownBy(() -> QiTechEs512Authentication.publicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n"
                    + "-----END PUBLIC KEY-----")).hasMessageContaining("not a PEM EC public key");
            assertThatThrownBy(() -> QiTechEs512Authentication.publicKey("/no/such/file.pem"))
                    .hasMessageContaining("neither PEM text nor a readable PEM file");
        }

        @Test
        void es512WithoutAClientKeyStopsStartUp() {
            assertThatThrownBy(() -> new QiTechEs512Authentication((ECPublicKey) PROVIDER.getPublic(), " ",
                    Duration.ofMinutes(5), CLOCK)).hasMessageContaining("client-key");
        }
    }

    @Nested
    class SharedHs256 {

        static final String KEY = "short-shared-key";
        final SharedHs256Authentication auth = new SharedHs256Authentication(KEY, Duration.ofMinutes(5), CLOCK);

        Optional<DeliveryAuthenticator.Refusal> verify(String token) {
            HttpHeaders headers = new HttpHeaders();
            if (token != null) {
                headers.add("SIGNATURE", token);
            }
            return auth.verify(HttpMethod.POST, PATH, headers, BODY);
        }

        static byte[] padded(String key) {
            // Nimbus's signer wants 256 bits; HMAC pads shorter keys with zeros, so the MAC is the same
            byte[] bytes = new byte[32];
            byte[] raw = key.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(raw, 0, bytes, 0, raw.length);
            return bytes;
        }

        static String signed(JWTClaimsSet claims) {
            return Signer.hmac(JWSAlgorithm.HS256, padded(KEY), claims);
        }

        static JWTClaimsSet issuedAt(Instant at) {
            return new JWTClaimsSet.Builder().issueTime(Date.from(at)).claim("anything", "the provider puts").build();
        }

        static JWTClaimsSet expiringAt(Instant at) {
            return new JWTClaimsSet.Builder().expirationTime(Date.from(at)).build();
        }

        @Test
        void aTokenSignedWithTheSharedKeyPasses() {
            assertThat(verify(signed(issuedAt(NOW)))).isEmpty();
        }

        @Test
        void aTokenSignedWithAnotherKeyIsRefused() {
            assertThat(verify(Signer.hmac(JWSAlgorithm.HS256, padded("another-shared-key"), issuedAt(NOW))))
                    .map(DeliveryAuthenticator.Refusal::check).contains("signature");
        }

        @Test
        void otherAlgorithmsMalformedOrMissingTokensAreRefused() {
            JWTClaimsSet claims = issuedAt(NOW);
            byte[] longKey = new byte[64];
            System.arraycopy(KEY.getBytes(StandardCharsets.UTF_8), 0, longKey, 0, KEY.length());
            assertThat(verify(Signer.hmac(JWSAlgorithm.HS512, longKey, claims)))
                    .map(DeliveryAuthenticator.Refusal::check).contains("algorithm");
            assertThat(verify(Signer.unsigned(claims))).map(DeliveryAuthenticator.Refusal::check)
                    .contains("algorithm");
            assertThat(verify("x.y")).map(DeliveryAuthenticator.Refusal::check).contains("token");
            assertThat(verify(null)).map(DeliveryAuthenticator.Refusal::check).contains("signature");
        }

        /** HS256 binds the claims only, not the body: a token without a time would pass forever. */
        @Test
        void aTokenWithNeitherIatNorExpIsRefused() {
            JWTClaimsSet timeless = new JWTClaimsSet.Builder().claim("anything", "the provider puts").build();
            assertThat(verify(signed(timeless))).map(DeliveryAuthenticator.Refusal::check).contains("timestamp");
            // nbf alone does not limit how long the token can be used
            JWTClaimsSet notBeforeOnly = new JWTClaimsSet.Builder()
                    .notBeforeTime(Date.from(NOW.minus(Duration.ofMinutes(1)))).build();
            assertThat(verify(signed(notBeforeOnly))).map(DeliveryAuthenticator.Refusal::check)
                    .contains("timestamp");
        }

        @Test
        void aStaleIatIsRefused() {
            assertThat(verify(signed(issuedAt(NOW.minus(Duration.ofMinutes(6))))))
                    .map(DeliveryAuthenticator.Refusal::check).contains("timestamp");
            assertThat(verify(signed(issuedAt(NOW.minus(Duration.ofMinutes(5)).minusSeconds(1)))))
                    .map(DeliveryAuthenticator.Refusal::check).contains("timestamp");
            // a stale iat is refused even when exp would still allow the token
            JWTClaimsSet longLived = new JWTClaimsSet.Builder().issueTime(Date.from(NOW.minus(Duration.ofHours(1))))
                    .expirationTime(Date.from(NOW.plus(Duration.ofHours(1)))).build();
            assertThat(verify(signed(longLived))).map(DeliveryAuthenticator.Refusal::check).contains("timestamp");
        }

        @Test
        void anIatFromTheFutureIsRefused() {
            assertThat(verify(signed(issuedAt(NOW.plus(Duration.ofMinutes(6))))))
                    .map(DeliveryAuthenticator.Refusal::check).contains("timestamp");
        }

        @Test
        void aFreshIatIsAccepted() {
            assertThat(verify(signed(issuedAt(NOW.minus(Duration.ofMinutes(4)))))).isEmpty();
            assertThat(verify(signed(issuedAt(NOW.minus(Duration.ofMinutes(5)))))).isEmpty();
            assertThat(verify(signed(issuedAt(NOW.plus(Duration.ofMinutes(4)))))).isEmpty();
        }

        @Test
        void anExpiredTokenIsRefused() {
            assertThat(verify(signed(expiringAt(NOW.minus(Duration.ofMinutes(10))))))
                    .map(DeliveryAuthenticator.Refusal::check).contains("timestamp");
            assertThat(verify(signed(expiringAt(NOW.minus(Duration.ofMinutes(5)).minusSeconds(1)))))
                    .map(DeliveryAuthenticator.Refusal::check).contains("timestamp");
            // a fresh iat does not save an expired token
            JWTClaimsSet both = new JWTClaimsSet.Builder().issueTime(Date.from(NOW))
                    .expirationTime(Date.from(NOW.minus(Duration.ofMinutes(10)))).build();
            assertThat(verify(signed(both))).map(DeliveryAuthenticator.Refusal::check).contains("timestamp");
        }

        @Test
        void aValidExpIsAccepted() {
            assertThat(verify(signed(expiringAt(NOW.plus(Duration.ofMinutes(1)))))).isEmpty();
            // within the clock skew after exp
            assertThat(verify(signed(expiringAt(NOW.minus(Duration.ofMinutes(4)))))).isEmpty();
            JWTClaimsSet both = new JWTClaimsSet.Builder().issueTime(Date.from(NOW.minusSeconds(30)))
                    .expirationTime(Date.from(NOW.plus(Duration.ofMinutes(1)))).build();
            assertThat(verify(signed(both))).isEmpty();
        }

        @Test
        void aTokenNotYetValidIsRefused() {
            JWTClaimsSet early = new JWTClaimsSet.Builder().issueTime(Date.from(NOW))
                    .notBeforeTime(Date.from(NOW.plus(Duration.ofMinutes(10)))).build();
            assertThat(verify(signed(early))).map(DeliveryAuthenticator.Refusal::check).contains("timestamp");
        }
    }
}
