package com.qiledger.api.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qiledger.api.e2e.TestDataDirs;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * docs/api.md is the contract a user reads; the running service's OpenAPI description and its
 * {@code ledger.*} settings are what the code does. This test keeps the two from drifting: every
 * call of {@code /v3/api-docs} is in the page's "Paths" tables with its roles and parameters, every
 * call those tables name exists, and every {@code ledger.*} setting is in its "Settings" table with
 * the default the code declares. Sections after "Paths" and "Settings" (planned calls, endpoints
 * outside the description) are not checked against the description.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ApiDocumentationTest {

    static final Path API_MD = Path.of("..", "docs", "api.md");
    static final Path DATA = TestDataDirs.create("api-docs");
    static final Pattern CALL = Pattern.compile("^`(GET|POST|PUT|PATCH|DELETE) (/[^`\\s?]*)`$");
    static final Pattern SETTING = Pattern.compile("^`(ledger\\.[a-z0-9.-]+)`$");
    static final Pattern ROLE = Pattern.compile("\\b(auditor|finance|operator)\\b");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    static String page;

    @Autowired
    WebTestClient web;

    @Autowired
    ApplicationContext context;

    @BeforeAll
    static void readPage() throws IOException {
        page = Files.readString(API_MD);
    }

    @Test
    void everyCallOfTheDescriptionIsDocumentedWithItsRolesAndParametersAndNothingElseIs() {
        JsonNode description = web.mutate().responseTimeout(Duration.ofSeconds(30)).build()
                .get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        Map<String, JsonNode> described = new TreeMap<>();
        description.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(
                operation -> described.put(operation.getKey().toUpperCase() + " " + path.getKey(), operation.getValue())));
        Map<String, List<String>> documented = rows(section("Paths"), CALL);

        assertThat(documented.keySet()).as("calls in docs/api.md's Paths section")
                .containsExactlyInAnyOrderElementsOf(described.keySet());
        described.forEach((call, operation) -> {
            List<String> row = documented.get(call);
            assertThat(roles(row.get(1))).as("roles of %s in docs/api.md (OpenAPI: %s)", call, rolesSentence(operation))
                    .isEqualTo(roles(rolesSentence(operation)));
            for (JsonNode parameter : operation.path("parameters")) {
                if ("query".equals(parameter.path("in").asText())) {
                    assertThat(String.join(" | ", row)).as("query parameter %s of %s", parameter.get("name"), call)
                            .contains("`" + parameter.get("name").asText());
                }
            }
        });
    }

    @Test
    void everyLedgerSettingIsDocumentedWithItsDefault() {
        Map<String, Optional<String>> declared = new TreeMap<>();
        ConfigurationPropertiesBean.getAll(context).values().stream()
                .filter(bean -> prefix(bean).equals("ledger") || prefix(bean).startsWith("ledger."))
                .forEach(bean -> leaves(prefix(bean), bean.getInstance().getClass(), declared));
        assertThat(declared).as("ledger.* settings found").containsKeys("ledger.data-dir", "ledger.webhook.deadline",
                "ledger.webhook.max-failures", "ledger.nodes.liveness");
        Map<String, List<String>> documented = rows(section("Settings"), SETTING);

        assertThat(documented.keySet()).as("ledger.* settings in docs/api.md's Settings section")
                .containsExactlyInAnyOrderElementsOf(declared.keySet());
        declared.forEach((setting, defaultValue) -> defaultValue.ifPresent(value ->
                assertThat(documented.get(setting).get(1)).as("default of %s in docs/api.md", setting)
                        .contains("`" + value + "`")));
    }

    /** The text of a {@code ## title} section, its subsections included, up to the next {@code ## }. */
    static String section(String title) {
        int start = page.indexOf("\n## " + title + "\n");
        assertThat(start).as("docs/api.md has a section '## %s'", title).isNotNegative();
        int end = page.indexOf("\n## ", start + 1);
        return end < 0 ? page.substring(start) : page.substring(start, end);
    }

    /** Table rows whose first cell matches {@code key}, by the key's captured name(s), as cells. */
    static Map<String, List<String>> rows(String text, Pattern key) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.lastIndexOf('|')).split("(?<!\\\\)\\|")) {
                cells.add(cell.strip());
            }
            Matcher matcher = key.matcher(cells.get(0));
            if (matcher.matches()) {
                String name = matcher.groupCount() == 2 ? matcher.group(1) + " " + matcher.group(2) : matcher.group(1);
                assertThat(rows.put(name, cells)).as("%s is documented once", name).isNull();
            }
        }
        return rows;
    }

    /** The roles an operation's description names in its "Roles: …" sentence (none for intake). */
    static String rolesSentence(JsonNode operation) {
        String text = operation.path("description").asText("");
        int at = text.indexOf("Roles:");
        return at < 0 ? "" : text.substring(at, text.indexOf('.', at) < 0 ? text.length() : text.indexOf('.', at));
    }

    /** The role names before any ";" (what follows names the narrower roles of a variant, e.g. asOf). */
    static Set<String> roles(String text) {
        Set<String> roles = new TreeSet<>();
        Matcher matcher = ROLE.matcher(text.split(";")[0]);
        while (matcher.find()) {
            roles.add(matcher.group(1));
        }
        return roles;
    }

    static String prefix(ConfigurationPropertiesBean bean) {
        String value = bean.getAnnotation().value();
        return value.isEmpty() ? bean.getAnnotation().prefix() : value;
    }

    /** Every leaf setting of a properties record, kebab-case, with the default it declares. */
    static void leaves(String prefix, Class<?> type, Map<String, Optional<String>> into) {
        RecordComponent[] components = type.getRecordComponents();
        assertThat(components).as("%s is a record of settings", type.getName()).isNotNull();
        for (int index = 0; index < components.length; index++) {
            String name = prefix + "." + kebab(components[index].getName());
            Class<?> value = components[index].getType();
            if (value.isRecord() && value.getName().startsWith("com.qiledger.")) {
                leaves(name, value, into);
            } else {
                into.put(name, defaultOf(type, components, index));
            }
        }
    }

    /** The {@code @DefaultValue} of a component, as Spring Boot reads it from the canonical constructor. */
    static Optional<String> defaultOf(Class<?> record, RecordComponent[] components, int index) {
        DefaultValue annotation;
        try {
            annotation = record.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new)).getParameters()[index].getAnnotation(DefaultValue.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(record + " has no canonical constructor", e);
        }
        if (annotation == null || annotation.value().length == 0) {
            return Optional.empty();
        }
        return Optional.of(String.join(",", annotation.value()));
    }

    static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }
}
