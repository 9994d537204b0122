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

    record Refusal(String check, String detail) {
    }
}
