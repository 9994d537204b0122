package com.qiledger.api.intake;

import static com.qiledger.api.intake.QiTechEs512Authentication.refuse;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * The older products' scheme (WEBHOOKS.md, "Shared-key header"): header {@code SIGNATURE} holds a
 * JWT signed HS256 with the shared signature key. Only HS256 is accepted, whatever the token says.
 * The MAC is computed with the JDK and compared in constant time ({@link MessageDigest#isEqual}):
 * Nimbus parses the token, but its {@code MACVerifier} refuses keys shorter than 256 bits, and the
 * provider, not us, chooses the length of the shared key.
 *
 * <p><b>What this scheme binds.</b> The HS256 MAC covers the token's header and claims only: not
 * the body, the method nor the path of the request. A captured {@code SIGNATURE} header therefore
 * authenticates any body sent with it; the only limit on its use is time. So a token must carry
 * {@code iat} (issued at) or {@code exp} (expires), and is refused (check {@code timestamp}) when
 * it carries neither, when its {@code iat} is more than {@code ledger.webhook.max-clock-skew}
 * (default 5 minutes) in the past or in the future, when it expired more than that skew ago
 * ({@code exp} + skew &lt; now), or when its {@code nbf} is more than that skew ahead. With
 * {@code iat} a captured header is usable for at most the skew after it was issued; with
 * {@code exp} alone, until its {@code exp} (the sender chooses that lifetime). The current scheme,
 * {@link QiTechEs512Authentication}, binds the body (MD5), method, path and a timestamp.
 */
final class SharedHs256Authentication implements DeliveryAuthenticator {

    static final String SCHEME = "shared-hs256";
    static final String SIGNATURE_HEADER = "SIGNATURE";

    private final SecretKeySpec key;
    private final Duration maxSkew;
    private final Clock clock;

    SharedHs256Authentication(String sharedKey, Duration maxSkew, Clock clock) {
        if (sharedKey == null || sharedKey.isEmpty()) {
            throw new IllegalStateException("ledger.webhook.auth=shared-hs256 needs ledger.webhook.shared-key");
        }
        this.key = new SecretKeySpec(sharedKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.maxSkew = maxSkew;
        this.clock = clock;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public Optional<Refusal> verify(HttpMethod method, String path, HttpHeaders headers, byte[] body) {
        SignedToken token = SignedToken.from(headers, SIGNATURE_HEADER, JWSAlgorithm.HS256);
        if (token.refusal() != null) {
            return Optional.of(token.refusal());
        }
        SignedJWT jwt = token.jwt();
        byte[] expected = mac(jwt.getSigningInput());
        byte[] presented = jwt.getSignature().decode();
        if (!MessageDigest.isEqual(expected, presented)) {
            return refuse("signature", "the signature does not match the shared key");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return refuse("token", "the token's claims are not a JSON object: " + e.getMessage());
        }
        Instant now = clock.instant();
        Date issued = claims.getIssueTime();
        Date expires = claims.getExpirationTime();
        if (issued == null && expires == null) {
            return refuse("timestamp", "the token carries neither iat nor exp; an HS256 token does not bind the body, "
                    + "so only a time-limited one is accepted");
        }
        if (issued != null) {
            Duration age = Duration.between(issued.toInstant(), now);
            if (age.compareTo(maxSkew) > 0) {
                return refuse("timestamp", "the token was issued " + age.toSeconds() + " s ago (iat "
                        + issued.toInstant() + "); at most " + maxSkew.toSeconds() + " s is accepted");
            }
            if (age.negated().compareTo(maxSkew) > 0) {
                return refuse("timestamp", "the token's iat is " + age.negated().toSeconds()
                        + " s in the future (" + issued.toInstant() + "); at most " + maxSkew.toSeconds()
                        + " s of clock skew is accepted");
            }
        }
        if (expires != null && now.isAfter(expires.toInstant().plus(maxSkew))) {
            return refuse("timestamp", "the token expired at " + expires.toInstant());
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && now.isBefore(notBefore.toInstant().minus(maxSkew))) {
            return refuse("timestamp", "the token is not valid before " + notBefore.toInstant());
        }
        return Optional.empty();
    }

    private byte[] mac(byte[] signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(signingInput);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
