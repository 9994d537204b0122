package com.qiledger.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

/** Who may read when: mirrors the webhook authentication's embedded/external rule. */
@ExtendWith(OutputCaptureExtension.class)
class ApiAccessConfigurationTest {

    static final String TOKEN = "operator-9d4a2c7e1b5f8a3c";

    static LedgerProperties.Security security(String auditor, String finance, String operator, boolean open) {
        return new LedgerProperties.Security(new LedgerProperties.Tokens(auditor, finance, operator), open);
    }

    @Test
    void anyTokenGuardsTheReadApi() {
        ApiAccess access = ApiAccessConfiguration.resolve(security(null, null, TOKEN, false), true);
        assertThat(access.open()).isFalse();
        assertThat(access.tokens().configuredRoles()).containsExactly(Role.OPERATOR);
        assertThat(ApiAccessConfiguration.resolve(security(null, null, TOKEN, false), false).open()).isFalse();
    }

    @Test
    void tokensWinOverAnExplicitOpen() {
        assertThat(ApiAccessConfiguration.resolve(security(TOKEN, null, null, true), false).open()).isFalse();
    }

    @Test
    void withoutTokensTheEmbeddedDefaultIsOpen() {
        assertThat(ApiAccessConfiguration.resolve(security(null, "", " ", false), true).open()).isTrue();
    }

    @Test
    void withoutTokensAnExternalDatabaseStopsStartUp() {
        assertThatThrownBy(() -> ApiAccessConfiguration.resolve(security(null, null, null, false), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ledger.security.tokens.auditor")
                .hasMessageContaining("ledger.security.open=true");
    }

    @Test
    void anExplicitOpenIsHonouredOnAnExternalDatabase() {
        assertThat(ApiAccessConfiguration.resolve(security(null, null, null, true), false).open()).isTrue();
    }

    @Test
    void anOpenReadApiIsWarnedAboutAtStart(CapturedOutput output) {
        ApiAccess access = new ApiAccessConfiguration().apiAccess(properties(security(null, null, null, false)),
                new MockEnvironment());
        assertThat(access.open()).isTrue();
        assertThat(output).contains("WARN").contains(ApiAccessConfiguration.OPEN_WARNING);
    }

    @Test
    void aGuardedReadApiNamesItsRolesButNeverItsTokens(CapturedOutput output) {
        ApiAccess access = new ApiAccessConfiguration().apiAccess(properties(security(null, null, TOKEN, false)),
                new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db/ledger"));
        assertThat(access.open()).isFalse();
        assertThat(output).contains("operator").contains("no token for auditor, finance")
                .doesNotContain(TOKEN).doesNotContain(ApiAccessConfiguration.OPEN_WARNING);
    }

    static LedgerProperties properties(LedgerProperties.Security security) {
        return new LedgerProperties(null, null, null, null, null, security, null, null);
    }
}
