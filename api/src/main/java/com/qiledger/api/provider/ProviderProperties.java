package com.qiledger.api.provider;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the ledger calls the provider's API ({@code ledger.provider.*}, API.md): where, as which partner
 * ({@code API-CLIENT-KEY} and the ES512 private key, PEM {@code EC PRIVATE KEY} as the provider hands it
 * out or PKCS#8, inline or a path), how long one call may take, and the one retry policy every call
 * follows: up to {@code retry.attempts} attempts, back-off doubling from {@code retry.backoff} up to
 * {@code retry.max-backoff}, on time-outs, connection failures and {@code 5xx}; never on {@code 4xx}.
 * Without a base URL nothing is called ({@link ProviderNotConfiguredException}).
 */
@ConfigurationProperties("ledger.provider")
public record ProviderProperties(
        String baseUrl,
        String clientKey,
        String privateKey,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue Retry retry,
        /** How often the partner-call sender looks for calls to send (and due retries). */
        @DefaultValue("500ms") Duration pollInterval) {

    public record Retry(
            @DefaultValue("5") int attempts,
            @DefaultValue("1s") Duration backoff,
            @DefaultValue("1m") Duration maxBackoff) {

        public Retry {
            if (attempts < 1) {
                throw new IllegalArgumentException("ledger.provider.retry.attempts must be at least 1");
            }
        }
    }

    /** The first setting a call needs that is not set, by its property name; null when all are. */
    public String missingSetting() {
        if (blank(baseUrl)) {
            return "ledger.provider.base-url";
        }
        if (blank(clientKey)) {
            return "ledger.provider.client-key";
        }
        if (blank(privateKey)) {
            return "ledger.provider.private-key";
        }
        return null;
    }

    /** Never prints the private key: properties end up in logs and failure messages. */
    @Override
    public String toString() {
        return "ProviderProperties[baseUrl=" + baseUrl + ", clientKey=" + (blank(clientKey) ? "unset" : "set")
                + ", privateKey=" + (blank(privateKey) ? "unset" : "set") + ", timeout=" + timeout + ", retry="
                + retry + ", pollInterval=" + pollInterval + "]";
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
