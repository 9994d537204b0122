package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.LedgerApplication;
import com.qiledger.api.platform.ApiAccess;
import com.qiledger.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The README's "Run against an external PostgreSQL" example starts as written (issue 26): its
 * arguments are read from the README itself, only the database's address and credentials are this
 * test's, and the service it starts is guarded by tokens and, with unsigned webhooks, listens on
 * loopback only.
 */
class ReadmeExternalDatabaseExampleTest {

    static final Path README = Path.of("..", "README.md");

    /** The {@code --name=value} arguments of the section's first bash block, comments dropped. */
    static List<String> exampleArguments() throws IOException {
        String readme = Files.readString(README);
        String section = readme.substring(readme.indexOf("## Run against an external PostgreSQL"));
        int start = section.indexOf("```bash\n") + "```bash\n".length();
        String block = section.substring(start, section.indexOf("```", start));
        List<String> arguments = new ArrayList<>();
        for (String line : block.split("\n")) {
            int comment = line.indexOf(" #");
            String code = (comment >= 0 ? line.substring(0, comment) : line).replace("\\", " ");
            Arrays.stream(code.trim().split("\\s+")).filter(word -> word.startsWith("--")).forEach(arguments::add);
        }
        return arguments;
    }

    @Test
    void theExternalDatabaseExampleStartsAsWritten() throws IOException {
        List<String> example = exampleArguments();
        assertThat(example).anyMatch(a -> a.startsWith("--spring.datasource.url="));
        try (EmbeddedPostgres external = EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(
                TestDataDirs.create("readme-external"))
                .withBinariesDir(Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-test-postgres-bin"))
                .withFsync(false))) {
            List<String> arguments = new ArrayList<>();
            for (String argument : example) {
                String name = argument.substring(0, argument.indexOf('=') + 1);
                arguments.add(switch (name) {
                    case "--spring.datasource.url=" -> name + external.jdbcUrl();
                    case "--spring.datasource.username=" -> name + external.username();
                    case "--spring.datasource.password=" -> name + external.password();
                    default -> argument;
                });
            }
            arguments.add("--server.port=0");
            arguments.add("--ledger.data-dir=" + TestDataDirs.create("readme-unused").resolve("never-created"));
            try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LedgerApplication.class)
                    .web(WebApplicationType.REACTIVE)
                    .profiles("test")
                    .run(arguments.toArray(String[]::new))) {
                assertThat(context.getBean(ApiAccess.class).open()).isFalse();
                assertThat(context.getBean(NettyReactiveWebServerFactory.class).getAddress())
                        .isEqualTo(InetAddress.getByName("127.0.0.1"));
            }
        }
    }
}
