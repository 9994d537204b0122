package com.qiledger.api.intake;

import com.qiledger.api.platform.LedgerProperties;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Chooses the authentication scheme as API.md says: an explicit {@code ledger.webhook.auth}; else
 * {@code qitech-es512} when a public key is set, {@code shared-hs256} when a shared key is set;
 * else {@code none} on the embedded default only. On an external database an implicit {@code none}
 * stops start-up: production must choose.
 */
@Configuration(proxyBeanMethods = false)
public class AuthenticationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuthenticationConfiguration.class);

    @Bean
    public DeliveryAuthenticator deliveryAuthenticator(LedgerProperties properties, Environment environment,
                                                       Clock clock) {
        LedgerProperties.Webhook webhook = properties.webhook();
        boolean embedded = !StringUtils.hasText(environment.getProperty("spring.datasource.url"));
        String scheme = resolve(webhook, embedded);
        return switch (scheme) {
            case "none" -> {
                log.warn("ledger.webhook.auth=none: unsigned webhook deliveries are accepted. "
                        + "Use this for local development only.");
                yield new NoAuthentication();
            }
            case QiTechEs512Authentication.SCHEME -> {
                if (!StringUtils.hasText(webhook.publicKey())) {
                    throw new IllegalStateException("ledger.webhook.auth=qitech-es512 needs ledger.webhook.public-key, "
                            + "the provider's ES512 public key (PEM text or a path to a PEM file)");
                }
                Es512Provider.Choice verifier = Es512Provider.choose();
                log.info("ES512 signatures verified by {}", verifier.description());
                yield new QiTechEs512Authentication(QiTechEs512Authentication.publicKey(webhook.publicKey()),
                        webhook.clientKey(), webhook.maxClockSkew(), clock, verifier.provider());
            }
            case SharedHs256Authentication.SCHEME ->
                    new SharedHs256Authentication(webhook.sharedKey(), webhook.maxClockSkew(), clock);
            default -> throw new IllegalStateException("ledger.webhook.auth must be qitech-es512, shared-hs256 or "
                    + "none, not '" + scheme + "'");
        };
    }

    static String resolve(LedgerProperties.Webhook webhook, boolean embeddedDatabase) {
        if (StringUtils.hasText(webhook.auth())) {
            return webhook.auth().strip();
        }
        if (StringUtils.hasText(webhook.publicKey())) {
            return "qitech-es512";
        }
        if (StringUtils.hasText(webhook.sharedKey())) {
            return "shared-hs256";
        }
        if (embeddedDatabase) {
            return "none";
        }
        throw new IllegalStateException("No webhook authentication is configured for an external database. Set "
                + "ledger.webhook.public-key (qitech-es512), ledger.webhook.shared-key (shared-hs256), or choose "
                + "ledger.webhook.auth=none explicitly.");
    }

    /** Accepts every delivery; chosen only explicitly or on the embedded default. */
    static final class NoAuthentication implements DeliveryAuthenticator {
        @Override
        public String scheme() {
            return "none";
        }

        @Override
        public Optional<Refusal> verify(org.springframework.http.HttpMethod method, String path,
                                        org.springframework.http.HttpHeaders headers, byte[] body) {
            return Optional.empty();
        }
    }
}
