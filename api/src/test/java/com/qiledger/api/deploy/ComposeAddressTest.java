package com.qiledger.api.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 26: without tokens or with unsigned webhooks the service listens on loopback only, which
 * inside a container nothing outside can reach. The compose file's nodes may run so (their tokens
 * and scheme come from the environment), so they open every interface of the container explicitly.
 */
class ComposeAddressTest {

    @Test
    @SuppressWarnings("unchecked")
    void composeNodesListenOnEveryInterfaceOfTheirContainerOnPurpose() throws IOException {
        Map<String, Object> compose = new Yaml()
                .load(Files.readString(DockerDeploymentTest.DOCKER.resolve("compose.yaml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        for (String node : List.of("node1", "node2")) {
            Map<String, Object> environment = (Map<String, Object>) services.get(node).get("environment");
            assertThat(environment.get("SERVER_ADDRESS")).as(node).hasToString("${SERVER_ADDRESS:-0.0.0.0}");
        }
    }
}
