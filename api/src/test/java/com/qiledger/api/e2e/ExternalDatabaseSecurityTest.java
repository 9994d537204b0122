package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qiledger.api.LedgerApplication;
import com.qiledger.api.platform.ApiAccess;
import com.qiledger.api.platform.Role;
import com.qiledger.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** On an external database the read API is never open by accident: tokens, or an explicit open. */
class ExternalDatabaseSecurityTest {

    static EmbeddedPostgres external;

    @BeforeAll
    static void startExternalServer() {
        external = EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(TestDataDirs.create("external-security"))
                .withBinariesDir(Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-test-postgres-bin"))
                .withFsync(false));
    }

    @AfterAll
    static void stop() {
        external.close();
    }

    SpringApplicationBuilder app(String... extra) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.datasource.url=" + external.jdbcUrl(),
                "spring.datasource.username=" + external.username(),
                "spring.datasource.password=" + external.password(),
                "ledger.webhook.auth=none",
                "ledger.data-dir=" + TestDataDirs.create("unused-security").resolve("never-created")));
        properties.addAll(List.of(extra));
        return new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("test")
                .properties(properties.toArray(String[]::new));
    }

    @Test
    void anImplicitOpenReadApiIsRefusedOnAnExternalDatabase() {
        assertThatThrownBy(() -> app().run().close())
                .hasStackTraceContaining("No bearer tokens are configured for the read API on an external database")
                .hasStackTraceContaining("ledger.security.open=true");
    }

    @Test
    void oneTokenIsEnoughAndTheOtherRolesCannotBeUsed() {
        try (ConfigurableApplicationContext context = app("ledger.security.tokens.operator=op-3e9f1a7c5b2d8e40")
                .run()) {
            ApiAccess access = context.getBean(ApiAccess.class);
            assertThat(access.open()).isFalse();
            assertThat(access.tokens().configuredRoles()).containsExactly(Role.OPERATOR);
        }
    }
}
