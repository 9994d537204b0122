package com.qiledger.api.intake;

import com.qiledger.api.platform.WebhookScheme;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * Decides whether a delivery comes from the provider, before anything is recorded. One
 * implementation per scheme of {@code ledger.webhook.auth}; the signature schemes plug in here.
 */
public interface DeliveryAuthenticator extends WebhookScheme {

    /** The scheme's name as {@code ledger.webhook.auth} spells it. */
    @Override
    String scheme();

    /** Empty when authentic; otherwise the name of the check that failed and why. */
    Optional<Refusal> verify(HttpMethod method, String path, HttpHeaders headers, byte[] body);

    /**
     * What of an authentic delivery's request is kept with its receipt for a later re-verification;
     * empty for a scheme that keeps nothing (only {@code qitech-es512} signs the body).
     */
    default Optional<StoredSignature> keep(HttpMethod method, String path, HttpHeaders headers) {
        return Optional.empty();
    }

    record Refusal(String check, String detail) {
    }
}
