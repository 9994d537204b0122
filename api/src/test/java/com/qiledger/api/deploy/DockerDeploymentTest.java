package com.qiledger.api.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The container deployment, checked without a Docker engine (none on the build machines; the
 * engine-side check is {@code docker/validate.sh}, which runs {@code docker compose config}): the
 * image is multi-stage, runs as a non-root user with a health check, and the compose file runs
 * PostgreSQL plus two nodes that share it, wait for it, and are health-checked.
 */
class DockerDeploymentTest {

    static final Path DOCKER = Path.of("..", "docker");

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsPostgresAndTwoHealthCheckedNodesOnIt() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(DOCKER.resolve("compose.yaml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).containsKeys("postgres", "node1", "node2");
        assertThat(services.get("postgres")).containsKey("healthcheck");
        for (String node : List.of("node1", "node2")) {
            Map<String, Object> service = services.get(node);
            Map<String, Object> environment = (Map<String, Object>) service.get("environment");
            assertThat(environment.get("SPRING_DATASOURCE_URL").toString()).contains("//postgres:5432/");
            assertThat(environment).containsKeys("LEDGER_WEBHOOK_AUTH", "LEDGER_WEBHOOK_PUBLIC_KEY",
                    "LEDGER_WEBHOOK_CLIENT_KEY", "LEDGER_SECURITY_TOKENS_OPERATOR");
            assertThat(service).containsKey("healthcheck");
            Map<String, Object> dependsOn = (Map<String, Object>) service.get("depends_on");
            assertThat(((Map<String, Object>) dependsOn.get("postgres")).get("condition"))
                    .isEqualTo("service_healthy");
        }
        assertThat(services.get("node1").get("ports")).isNotEqualTo(services.get("node2").get("ports"));
    }

    @Test
    void theImageIsMultiStageNonRootAndHealthChecked() throws IOException {
        List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile"));
        assertThat(lines.stream().filter(l -> l.startsWith("FROM "))).hasSize(2);
        assertThat(lines.stream().filter(l -> l.startsWith("FROM ")).reduce((a, b) -> b).orElseThrow())
                .contains("-jre");
        assertThat(lines).anyMatch(l -> l.startsWith("USER ") && !l.contains("root"));
        assertThat(lines).anyMatch(l -> l.startsWith("HEALTHCHECK "));
        assertThat(lines).anyMatch(l -> l.startsWith("ENTRYPOINT [\"java\""));
    }
}
