package com.qiledger.api.qitech;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.qiledger.api.e2e.Webhooks;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qiledger.command.messages.common.LedgerCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Histogram;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The reader and every family's translator against mutated seed bodies: bytes flipped, cut,
 * inserted; fields dropped; values replaced by every JSON type, huge numbers, odd dates and text.
 * Whatever comes in, no exception escapes and the answer is either commands for named entities or a
 * quarantine with a reason, so an authentic delivery is always recorded as one or the other.
 * Deterministic (seeded) and bounded by {@code tries}, so it fits the CI budget.
 */
class TranslatorFuzzProperties {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final List<byte[]> SEEDS = Webhooks.all();
    static final ObjectMapper JSON = new ObjectMapper();

    /** Every family translator the application has, found as it finds them: by component scan. */
    static final QiTechTranslator TRANSLATOR = translator();

    static QiTechTranslator translator() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(
                new DefaultListableBeanFactory())) {
            context.scan("com.qiledger.api.qitech");
            context.refresh();
            return context.getBean(QiTechTranslator.class);
        }
    }


    @Provide
    Arbitrary<byte[]> mutatedBodies() {
        return Arbitraries.integers().between(0, SEEDS.size() - 1).flatMap(index ->
                Arbitraries.longs().map(seed -> mutate(SEEDS.get(index), new Random(seed))));
    }

    @Property(tries = 3000, seed = "20261125")
    @StatisticsReport(format = Histogram.class)
    void noInputEscapesTheTranslator(@ForAll("mutatedBodies") byte[] body) {
        Translation translation = TRANSLATOR.translate(body, NOW);
        // both ends must be reached, or the mutations test nothing but the JSON parser
        Statistics.collect(translation instanceof Translation.Commands ? "commands" : "quarantine");
        Statistics.coverage(coverage -> {
            coverage.check("commands").percentage(p -> p > 10);
            coverage.check("quarantine").percentage(p -> p > 10);
        });
        if (translation instanceof Translation.Commands commands) {
            assertThat(commands.commands()).isNotEmpty();
            for (LedgerCommand command : commands.commands()) {
                assertThat(command.aggregateId()).contains(":");
                assertThat(command.aggregateId().substring(command.aggregateId().indexOf(':') + 1)).isNotBlank();
            }
        } else {
            String reason = ((Translation.Quarantine) translation).reason();
            assertThat(reason).isNotBlank();
            // the translator's safety net turns a reader bug into a quarantine; reaching it is a bug
            assertThat(reason).doesNotStartWith("unreadable payload");
        }
    }

    @Property(tries = 300, seed = "20261125")
    void arbitraryBytesAreQuarantinedNeverThrown(@ForAll byte[] body) {
        Translation translation = TRANSLATOR.translate(body, NOW);
        assertThat(translation).isInstanceOf(Translation.Quarantine.class);
    }

    @Property(tries = 1)
    void everyFamilyIsCovered() {
        assertThat(TRANSLATOR.webhookTypes()).containsExactlyInAnyOrder("bank_slip.status_change",
                "baas.dda.bankslip.registration", "baas.dda.bankslip.update", "installment.status_change",
                "baas.automatic_pix.payment_order_conciliation_batch.creation", "credit_operation.collateral",
                "private_pension_failed_reservation", "debt");
        assertThat(SEEDS).isNotEmpty();
    }

    static byte[] mutate(byte[] seed, Random random) {
        int rounds = 1 + random.nextInt(3);
        byte[] body = seed;
        for (int i = 0; i < rounds; i++) {
            body = switch (random.nextInt(6)) {
                case 0 -> flipBytes(body, random);
                case 1 -> cut(body, random);
                case 2 -> insertBytes(body, random);
                default -> mutateTree(body, random);
            };
        }
        return body;
    }

    static byte[] flipBytes(byte[] body, Random random) {
        byte[] copy = body.clone();
        for (int i = 0, n = 1 + random.nextInt(4); i < n && copy.length > 0; i++) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }

    static byte[] cut(byte[] body, Random random) {
        return java.util.Arrays.copyOf(body, body.length == 0 ? 0 : random.nextInt(body.length));
    }

    static byte[] insertBytes(byte[] body, Random random) {
        String[] pieces = {",", "}", "]", "{", "[", "\"", ":", "null", "\\u0000", "1e999999", "NaN", "//", "\u00e7\u00e3"};
        String text = new String(body, StandardCharsets.UTF_8);
        int at = text.isEmpty() ? 0 : random.nextInt(text.length());
        return (text.substring(0, at) + pieces[random.nextInt(pieces.length)] + text.substring(at))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Structural mutations on a leniently parsed tree; a body that does not parse gets a byte mutation. */
    static byte[] mutateTree(byte[] body, Random random) {
        JsonNode root;
        try {
            root = ProviderJson.parse(body);
        } catch (ProviderDataException e) {
            return flipBytes(body, random);
        }
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        if (containers.isEmpty()) {
            return body;
        }
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode object && !object.isEmpty()) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(4) == 0) {
                object.remove(name);
            } else {
                object.set(name, oddValue(random));
            }
        } else if (target instanceof ArrayNode array) {
            if (!array.isEmpty() && random.nextBoolean()) {
                array.set(random.nextInt(array.size()), oddValue(random));
            } else {
                array.add(oddValue(random));
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.forEach(child -> collect(child, into));
        }
    }

    static JsonNode oddValue(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(16)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2 -> f.numberNode(random.nextLong());
            case 3 -> f.numberNode(new java.math.BigDecimal("1e400"));
            case 4 -> f.numberNode(new java.math.BigDecimal("-0.000000000000000000001"));
            case 5 -> f.textNode("");
            case 6 -> f.textNode("   ");
            case 7 -> f.textNode("2025-13-45 25:61:61");
            case 8 -> f.textNode("2022-09-27T07:03:35");
            case 9 -> f.textNode("12.345,67");
            case 10 -> f.textNode("Jo\u00e3o \u0000 \ud83d\ude00");
            case 11 -> f.objectNode();
            case 12 -> f.arrayNode();
            case 13 -> f.objectNode().put("enumerator", "paid");
            case 14 -> f.textNode("x".repeat(10_000));
            default -> f.numberNode(random.nextDouble() * 1e6);
        };
    }
}
