package com.qiledger.api.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.reactive.server.ConfigurableReactiveWebServerFactory;
import org.springframework.boot.web.server.AbstractConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Opens the service to the network only where that is safe (issue 26). While the read API is open
 * (no {@code ledger.security.tokens.*} set) or webhooks are accepted unsigned
 * ({@code ledger.webhook.auth=none}, explicit or implied on the embedded default), anyone who can
 * reach the port can read every entity and receipt, rebuild the read models, re-drive receipts and
 * post facts. Then the web server listens on the loopback interface only ({@code 127.0.0.1}) and
 * says so with one WARN line at start, unless {@code server.address} is set explicitly: that is
 * opening it on purpose, and is honoured. A separate management port ({@code management.server.port})
 * follows: it is kept to loopback too unless {@code management.server.address} is set.
 *
 * <p>Decided from the beans that guard the service, {@link ApiAccess} and the intake's
 * {@link WebhookScheme} (its delivery authenticator, whose scheme it resolves), so
 * the listening address can never disagree with what is actually guarded. Runs after Spring Boot's
 * own customizers, which copy {@code server.address} (or {@code management.server.address}) to the
 * factory: an address still unset there was set by nobody.
 */
@Component
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class LoopbackUnlessGuarded implements WebServerFactoryCustomizer<ConfigurableReactiveWebServerFactory>,
        Ordered {

    private static final Logger log = LoggerFactory.getLogger(LoopbackUnlessGuarded.class);

    /** 127.0.0.1, whatever the JVM's IPv6 preference (which would make the loopback address ::1). */
    public static final InetAddress LOOPBACK = loopback();

    private final ObjectProvider<ApiAccess> access;
    private final ObjectProvider<WebhookScheme> webhook;
    private final ObjectProvider<ManagementServerProperties> managementServer;
    private final Environment environment;
    private final AtomicBoolean warned = new AtomicBoolean();

    public LoopbackUnlessGuarded(ObjectProvider<ApiAccess> access, ObjectProvider<WebhookScheme> webhook,
                                 ObjectProvider<ManagementServerProperties> managementServer, Environment environment) {
        this.access = access;
        this.webhook = webhook;
        this.managementServer = managementServer;
        this.environment = environment;
    }

    @Override
    public void customize(ConfigurableReactiveWebServerFactory factory) {
        if (addressSetExplicitly(factory)) {
            return;
        }
        Optional<String> reason = reason(access.getObject().open(), webhook.getObject().scheme());
        if (reason.isEmpty()) {
            return;
        }
        factory.setAddress(LOOPBACK);
        // the management child context, when on a port of its own, is created after this web server
        // and binds management.server.address (null: every interface) from these very properties
        managementServer.ifAvailable(management -> {
            if (management.getAddress() == null) {
                management.setAddress(LOOPBACK);
            }
        });
        if (warned.compareAndSet(false, true)) {
            log.warn(warning(reason.get()));
        }
    }

    private boolean addressSetExplicitly(ConfigurableReactiveWebServerFactory factory) {
        if (factory instanceof AbstractConfigurableWebServerFactory configurable && configurable.getAddress() != null) {
            return true;
        }
        return StringUtils.hasText(environment.getProperty("server.address"));
    }

    /**
     * Why the service must not listen beyond loopback, or empty when it is guarded: bearer tokens
     * set and a signature scheme chosen.
     */
    static Optional<String> reason(boolean readApiOpen, String webhookScheme) {
        List<String> reasons = new ArrayList<>();
        if (readApiOpen) {
            reasons.add("no bearer token is set (ledger.security.tokens.*), so the read API, rebuild and re-drive "
                    + "are open to anyone");
        }
        if ("none".equals(webhookScheme)) {
            reasons.add("ledger.webhook.auth=none accepts unsigned webhook deliveries");
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join(", and ", reasons));
    }

    static String warning(String reason) {
        return "Listening on the loopback interface (" + LOOPBACK.getHostAddress() + ") only: " + reason
                + ". To open it on purpose, set ledger.security.tokens.{auditor,finance,operator} and a signature "
                + "scheme (ledger.webhook.public-key for qitech-es512 or ledger.webhook.shared-key for "
                + "shared-hs256), or set server.address explicitly (e.g. server.address=0.0.0.0).";
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are a valid IPv4 address", e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
