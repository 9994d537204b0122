package com.qiledger.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.mock.env.MockEnvironment;

/** When the web server is kept to loopback (issue 26), without starting one. */
@ExtendWith(OutputCaptureExtension.class)
class LoopbackUnlessGuardedTest {

    static final ApiAccess OPEN = ApiAccess.openToEveryone();
    static final ApiAccess GUARDED = ApiAccess.byTokens(BearerTokens.of(
            new LedgerProperties.Tokens(null, null, "operator-1c7e5a3f9b2d")));

    static WebhookScheme scheme(String name) {
        return () -> name;
    }

    static InetAddress customize(ApiAccess access, String webhookScheme, MockEnvironment environment,
                                 InetAddress configured) {
        return customize(access, webhookScheme, environment, configured, new ManagementServerProperties());
    }

    static InetAddress customize(ApiAccess access, String webhookScheme, MockEnvironment environment,
                                 InetAddress configured, ManagementServerProperties management) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of(
                "apiAccess", access, "deliveryAuthenticator", scheme(webhookScheme),
                "managementServerProperties", management));
        LoopbackUnlessGuarded guard = new LoopbackUnlessGuarded(beans.getBeanProvider(ApiAccess.class),
                beans.getBeanProvider(WebhookScheme.class),
                beans.getBeanProvider(ManagementServerProperties.class), environment);
        NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();
        factory.setAddress(configured);
        guard.customize(factory);
        return factory.getAddress();
    }

    @Test
    void noTokensOrUnsignedWebhooksKeepItToLoopback(CapturedOutput output) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(customize(OPEN, "none", new MockEnvironment(), null)).isEqualTo(loopback);
        assertThat(customize(OPEN, "qitech-es512", new MockEnvironment(), null)).isEqualTo(loopback);
        assertThat(customize(OPEN, "shared-hs256", new MockEnvironment(), null)).isEqualTo(loopback);
        assertThat(customize(GUARDED, "none", new MockEnvironment(), null)).isEqualTo(loopback);
        assertThat(output.getAll()).contains("Listening on the loopback interface (127.0.0.1) only");
    }

    @Test
    void tokensAndASignatureSchemeLeaveItOnEveryInterface(CapturedOutput output) {
        assertThat(customize(GUARDED, "qitech-es512", new MockEnvironment(), null)).isNull();
        assertThat(customize(GUARDED, "shared-hs256", new MockEnvironment(), null)).isNull();
        assertThat(output.getAll()).doesNotContain("loopback");
    }

    @Test
    void anExplicitAddressIsHonoured(CapturedOutput output) throws Exception {
        InetAddress everywhere = InetAddress.getByName("0.0.0.0");
        // as Spring Boot copies server.address (or management.server.address) to the factory
        assertThat(customize(OPEN, "none", new MockEnvironment().withProperty("server.address", "0.0.0.0"),
                everywhere)).isEqualTo(everywhere);
        // server.address set explicitly, a factory it is not copied to (a separate management port)
        assertThat(customize(OPEN, "none", new MockEnvironment().withProperty("server.address", "0.0.0.0"),
                null)).isNull();
        assertThat(output.getAll()).doesNotContain("loopback");
    }

    @Test
    void aSeparateManagementPortFollowsUnlessItsAddressIsSet() throws Exception {
        ManagementServerProperties unset = new ManagementServerProperties();
        customize(OPEN, "none", new MockEnvironment(), null, unset);
        assertThat(unset.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));

        ManagementServerProperties explicit = new ManagementServerProperties();
        explicit.setAddress(InetAddress.getByName("0.0.0.0"));
        customize(OPEN, "none", new MockEnvironment(), null, explicit);
        assertThat(explicit.getAddress()).isEqualTo(InetAddress.getByName("0.0.0.0"));

        ManagementServerProperties guarded = new ManagementServerProperties();
        customize(GUARDED, "qitech-es512", new MockEnvironment(), null, guarded);
        assertThat(guarded.getAddress()).isNull();
    }

    @Test
    void theWarningSaysWhyAndHowToOpenItOnPurpose() {
        assertThat(LoopbackUnlessGuarded.reason(false, "qitech-es512")).isEmpty();
        String both = LoopbackUnlessGuarded.warning(LoopbackUnlessGuarded.reason(true, "none").orElseThrow());
        assertThat(both).contains("ledger.security.tokens").contains("ledger.webhook.auth=none")
                .contains("server.address=0.0.0.0").doesNotContain("\n");
    }
}
