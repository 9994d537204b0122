package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qiledger.api.LedgerApplication;
import com.qiledger.api.intake.IntakeAnswer;
import com.qiledger.api.intake.IntakeService;
import com.qiledger.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With {@code spring.datasource.url} set, nothing embedded starts and the same code runs on that
 * server (here a PostgreSQL the test starts itself, standing in for an external one).
 */
class ExternalDatabaseTest {

    static EmbeddedPostgres external;
    static Path unusedDataDir;

    @BeforeAll
    static void startExternalServer() {
        external = EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(TestDataDirs.create("external"))
                .withBinariesDir(Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-test-postgres-bin"))
                .withFsync(false));
        unusedDataDir = TestDataDirs.create("unused").resolve("never-created");
    }

    @AfterAll
    static void stop() {
        external.close();
    }

    SpringApplicationBuilder app(String... extra) {
        java.util.List<String> properties = new java.util.ArrayList<>(java.util.List.of(
                "spring.datasource.url=" + external.jdbcUrl(),
                "spring.datasource.username=" + external.username(),
                "spring.datasource.password=" + external.password(),
                "ledger.data-dir=" + unusedDataDir,
                "ledger.security.open=true"));
        properties.addAll(java.util.List.of(extra));
        return new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.NONE)
                .profiles("test")
                .properties(properties.toArray(String[]::new));
    }

    @Test
    void anExternalDatabaseStartsNothingEmbeddedAndRunsTheSameCode() {
        try (ConfigurableApplicationContext context = app("ledger.webhook.auth=none").run()) {
            assertThat(context.getBeansOfType(EmbeddedPostgres.class)).isEmpty();
            assertThat(unusedDataDir).doesNotExist();
            IntakeAnswer answer = context.getBean(IntakeService.class)
                    .receive(Webhooks.read("bank-slip/registered.json"), "application/json");
            assertThat(answer.outcome()).isIn(IntakeAnswer.Outcome.applied, IntakeAnswer.Outcome.duplicate);
        }
    }

    @Test
    void anImplicitNoneIsRefusedOnAnExternalDatabase() {
        assertThatThrownBy(() -> app().run().close())
                .hasStackTraceContaining("No webhook authentication is configured for an external database");
    }
}
