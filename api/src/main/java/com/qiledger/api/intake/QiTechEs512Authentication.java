package com.qiledger.api.intake;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import com.qiledger.api.qitech.ProviderJson;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * The provider's current scheme (WEBHOOKS.md, "Signed header"): header {@code AUTHORIZATION} holds a
 * JWT signed ES512 (ECDSA P-521, SHA-512) by the provider, with claims {@code payload_md5},
 * {@code timestamp}, {@code method} and {@code uri}; header {@code API-CLIENT-KEY} holds the
 * partner's integration key. Only ES512 is accepted: the algorithm is fixed here, never taken from
 * the token, so neither {@code none} nor an HMAC signed with the public key can pass.
 */
final class QiTechEs512Authentication implements DeliveryAuthenticator {

    static final String SCHEME = "qitech-es512";
    static final String CLIENT_KEY_HEADER = "API-CLIENT-KEY";

    private final ECDSAVerifier verifier;
    private final byte[] clientKey;
    private final Duration maxSkew;
    private final Clock clock;

    QiTechEs512Authentication(ECPublicKey publicKey, String clientKey, Duration maxSkew, Clock clock) {
        this(publicKey, clientKey, maxSkew, clock, null);
    }

    /** {@code provider}: the JCA provider that verifies (Es512Provider's choice); null for the JDK's default. */
    QiTechEs512Authentication(ECPublicKey publicKey, String clientKey, Duration maxSkew, Clock clock,
                              java.security.Provider provider) {
        if (!Curve.P_521.equals(Curve.forECParameterSpec(publicKey.getParams()))) {
            throw new IllegalStateException("ledger.webhook.public-key must be an EC P-521 key for ES512");
        }
        if (clientKey == null || clientKey.isBlank()) {
            throw new IllegalStateException("ledger.webhook.auth=qitech-es512 needs ledger.webhook.client-key, "
                    + "the API-CLIENT-KEY the provider sends");
        }
        try {
            this.verifier = new ECDSAVerifier(publicKey);
            if (provider != null) {
                this.verifier.getJCAContext().setProvider(provider);
            }
        } catch (JOSEException e) {
            throw new IllegalStateException("ledger.webhook.public-key cannot verify ES512: " + e.getMessage(), e);
        }
        this.clientKey = clientKey.strip().getBytes(StandardCharsets.UTF_8);
        this.maxSkew = maxSkew;
        this.clock = clock;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public Optional<Refusal> verify(HttpMethod method, String path, HttpHeaders headers, byte[] body) {
        return verify(method, path, headers, body, true);
    }

    /** What is kept of a delivery to verify it again later (issue 21). */
    @Override
    public Optional<StoredSignature> keep(HttpMethod method, String path, HttpHeaders headers) {
        return Optional.of(new StoredSignature(method == null ? null : method.name(), path,
                headers.getFirst(HttpHeaders.AUTHORIZATION), headers.getFirst(CLIENT_KEY_HEADER)));
    }

    /** The checks of intake on a stored delivery, but for its age: a kept signature is old by design. */
    Optional<Refusal> verifyKept(StoredSignature kept, byte[] body) {
        return verify(kept.httpMethod(), kept.uri(), kept.headers(), body, false);
    }

    private Optional<Refusal> verify(HttpMethod method, String path, HttpHeaders headers, byte[] body,
                                     boolean checkAge) {
        String presentedClient = headers.getFirst(CLIENT_KEY_HEADER);
        if (presentedClient == null) {
            return refuse("client_key", "header API-CLIENT-KEY is missing");
        }
        if (!MessageDigest.isEqual(clientKey, presentedClient.strip().getBytes(StandardCharsets.UTF_8))) {
            return refuse("client_key", "API-CLIENT-KEY is not the configured integration key");
        }
        SignedToken token = SignedToken.from(headers, HttpHeaders.AUTHORIZATION, JWSAlgorithm.ES512);
        if (token.refusal() != null) {
            return Optional.of(token.refusal());
        }
        SignedJWT jwt = token.jwt();
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return refuse("token", "the token's claims are not a JSON object: " + e.getMessage());
        }
        String expectedMethod = method == null ? null : method.name();
        String claimedMethod = stringClaim(claims, "method");
        if (claimedMethod == null || !claimedMethod.equalsIgnoreCase(expectedMethod)) {
            return refuse("method", "the token was signed for method " + claimedMethod + ", not " + expectedMethod);
        }
        String claimedUri = stringClaim(claims, "uri");
        if (claimedUri == null || !pathOf(claimedUri).equals(path)) {
            return refuse("uri", "the token was signed for uri " + claimedUri + ", not " + path);
        }
        String claimedMd5 = stringClaim(claims, "payload_md5");
        if (claimedMd5 == null) {
            return refuse("payload_md5", "the token has no payload_md5 claim");
        }
        byte[] actualMd5 = md5(body);
        byte[] signedMd5;
        try {
            signedMd5 = HexFormat.of().parseHex(claimedMd5.strip());
        } catch (IllegalArgumentException e) {
            return refuse("payload_md5", "payload_md5 is not hexadecimal");
        }
        if (!MessageDigest.isEqual(actualMd5, signedMd5)) {
            return refuse("payload_md5", "the body's MD5 is not the signed payload_md5: the body was changed");
        }
        String stamp = stringClaim(claims, "timestamp");
        if (stamp == null) {
            return refuse("timestamp", "the token has no timestamp claim");
        }
        Instant signedAt;
        try {
            signedAt = timestamp(stamp);
        } catch (DateTimeParseException e) {
            return refuse("timestamp", "timestamp '" + stamp + "' is not an ISO-8601 instant");
        }
        Duration age = Duration.between(signedAt, clock.instant());
        if (checkAge && age.compareTo(maxSkew) > 0) {
            return refuse("timestamp", "the signature is " + age.toSeconds() + " s old; at most "
                    + maxSkew.toSeconds() + " s is accepted");
        }
        if (checkAge && age.negated().compareTo(maxSkew) > 0) {
            return refuse("timestamp", "the signature is dated " + age.negated().toSeconds()
                    + " s in the future; at most " + maxSkew.toSeconds() + " s of clock skew is accepted");
        }
        // the costly check last: a token that fails a cheap one never costs a verification (issue 20)
        try {
            if (!jwt.verify(verifier)) {
                return refuse("signature", "the signature does not match the provider's public key");
            }
        } catch (JOSEException e) {
            return refuse("signature", "the signature cannot be verified: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Reads the provider's public key: PEM text, or the path of a PEM file. */
    static ECPublicKey publicKey(String configured) {
        String pem = configured.strip();
        if (!pem.startsWith("-----BEGIN")) {
            try {
                pem = Files.readString(Path.of(pem));
            } catch (Exception e) {
                throw new IllegalStateException("ledger.webhook.public-key is neither PEM text nor a readable PEM "
                        + "file: " + e.getMessage(), e);
            }
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance("EC")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return (ECPublicKey) key;
        } catch (Exception e) {
            throw new IllegalStateException("ledger.webhook.public-key is not a PEM EC public key "
                    + "(-----BEGIN PUBLIC KEY-----): " + e.getMessage(), e);
        }
    }

    static Optional<Refusal> refuse(String check, String detail) {
        return Optional.of(new Refusal(check, detail));
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value == null ? null : value.toString();
    }

    /** The signed uri may be absolute or carry a query; its path is what the request's path must equal. */
    private static String pathOf(String uri) {
        String value = uri.strip();
        int scheme = value.indexOf("://");
        if (scheme >= 0) {
            int slash = value.indexOf('/', scheme + 3);
            value = slash < 0 ? "/" : value.substring(slash);
        }
        int query = value.indexOf('?');
        return query < 0 ? value : value.substring(0, query);
    }

    /**
     * {@code 2023-06-30T18:52:27.885731Z}; an offset is accepted, and a zone-less value is the
     * provider's local time, as everywhere else in its payloads.
     */
    private static Instant timestamp(String text) {
        String value = text.strip();
        return ProviderJson.hasOffset(value)
                ? OffsetDateTime.parse(value.replace(' ', 'T')).toInstant()
                : java.time.LocalDateTime.parse(value.replace(' ', 'T')).atZone(ProviderJson.PROVIDER_ZONE).toInstant();
    }

    private static byte[] md5(byte[] body) {
        try {
            return MessageDigest.getInstance("MD5").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}
