package com.qiledger.api.intake;

import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * The provider's signature of a delivery as it arrived (issue 21): with {@code qitech-es512}, the
 * request's method and URI and its {@code AUTHORIZATION} and {@code API-CLIENT-KEY} headers, stored
 * with the receipt so that the delivery can be verified again, by the service
 * ({@code GET /api/v1/receipts/{receipt}/signature}) or by the offline verifier.
 */
public record StoredSignature(String method, String uri, String authorization, String clientKey) {

    /** Verifies the stored delivery again now: the same checks as at intake but the signature's age. */
    public Optional<DeliveryAuthenticator.Refusal> reverify(ECPublicKey providerKey, String expectedClientKey,
                                                            byte[] body) {
        QiTechEs512Authentication scheme = new QiTechEs512Authentication(providerKey, expectedClientKey,
                Duration.ZERO, Clock.systemUTC());
        return scheme.verifyKept(this, body);
    }

    /** The provider's public key from {@code ledger.webhook.public-key} (PEM text or a path). */
    public static ECPublicKey providerKey(String configured) {
        return QiTechEs512Authentication.publicKey(configured);
    }

    HttpHeaders headers() {
        HttpHeaders headers = new HttpHeaders();
        if (authorization != null) {
            headers.set(HttpHeaders.AUTHORIZATION, authorization);
        }
        if (clientKey != null) {
            headers.set(QiTechEs512Authentication.CLIENT_KEY_HEADER, clientKey);
        }
        return headers;
    }

    HttpMethod httpMethod() {
        return method == null ? null : HttpMethod.valueOf(method);
    }
}
