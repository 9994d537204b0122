package com.qiledger.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Realistic webhook bodies made from the seed fixtures in {@code api/src/test/resources/webhooks/}.
 *
 * <p>Each fixture becomes a template: every UUID in it (and the debt seeds' literal {@code <Debt Key>})
 * is a slot filled with a fresh random UUID per request, equal UUIDs of the fixture staying equal in
 * the body (a bank slip's {@code key} and {@code bank_slip_key}, an installment's {@code key} and
 * {@code installment_key}). UUIDs keep their length, so every body has exactly its fixture's size; all
 * other bytes stay as in the fixture (spacing, trailing commas, accents), so the translators see what
 * they see in the end-to-end tests. In bank-slip bodies the day of {@code event_datetime} is a slot
 * too (wherever that day occurs, e.g. {@code payment_credit_date}), so a benchmark can put a chosen
 * number of paid slips on one day (the reconciliation report's day) and spread the rest over 2022.
 */
final class Workloads {

    /** Percent of deliveries per fixture: 40 bank slips, 15 DDA, 25 installments, 5 batches, 15 debts. */
    static final String DEFAULT_MIX = String.join(",",
            "bank-slip/registered.json=12",
            "bank-slip/payment_notice.json=6",
            "bank-slip/paid_qr_code.json=16",
            "bank-slip/written_off.json=6",
            "dda-bank-slip/registration.json=9",
            "dda-bank-slip/update.json=6",
            "installment/status_change_paid.json=15",
            "installment/update_billing.json=10",
            "conciliation-batch/creation.json=5",
            "debt/collateral.json=4",
            "debt/failed_reservation.json=3",
            "debt/canceled_pix_refusal.json=3",
            "debt/canceled_ted_refusal.json=3",
            "debt/canceled_permanently.json=2");

    static final String PAID = "bank-slip/paid_qr_code.json";

    /** Which read endpoint shows the entity a fixture creates, and which field of the body keys it. */
    private static final Map<String, String[]> ENTITIES = Map.ofEntries(
            Map.entry("bank-slip/", new String[] {"bank-slips", "key"}),
            Map.entry("dda-bank-slip/", new String[] {"dda-bank-slips", "key"}),
            Map.entry("installment/", new String[] {"installments", "installment_key"}),
            Map.entry("conciliation-batch/", new String[] {"conciliation-batches",
                    "payment_order_conciliation_batch_key"}),
            Map.entry("debt/", new String[] {"debts", "key"}));

    private static final Pattern KEYS = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|<Debt Key>");
    private static final Pattern EVENT_DAY = Pattern.compile("\"event_datetime\"\\s*:\\s*\"(\\d{4}-\\d{2}-\\d{2})");
    private static final LocalDate SPREAD_FROM = LocalDate.of(2022, 1, 1);
    private static final int SPREAD_DAYS = 365;

    /**
     * One rendered delivery: the body, where its entity can be read, and extra request headers as
     * name/value pairs (none for an unsigned delivery; the signature headers for a pre-signed one).
     */
    record Delivery(byte[] body, String template, String entity, String entityKey, String... headers) {
    }

    /** A stream of deliveries; thread-safe as long as each thread passes its own random source. */
    interface Workload {
        String name();

        Delivery next(SplittableRandom random);

        /** The proportions, for the results. */
        Map<String, Integer> proportions();

        /**
         * Readies the deliveries of the next timed part, which lasts {@code lasting}, before it starts:
         * {@code count} of them (a closed loop's cap, an open loop's exact number of sends). Returns how
         * many {@link #next} may then hand out: {@code Long.MAX_VALUE} for a workload that renders each
         * delivery as it is sent (every unsigned one).
         */
        default long prepare(long count, java.time.Duration lasting) {
            return Long.MAX_VALUE;
        }
    }

    /** A fixture with slots. */
    static final class Template {
        private final String name;
        private final String entity;
        private final List<String> literals = new ArrayList<>(); // literal i comes before slot i
        private final List<Integer> slots = new ArrayList<>(); // >= 0: key number; -1: the day
        private final int keyCount;
        private final int probeKey;
        private final int size;

        Template(String name, String text) {
            this.name = name;
            String[] entityAndField = ENTITIES.entrySet().stream().filter(e -> name.startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no read endpoint known for fixture " + name));
            this.entity = entityAndField[0];
            String probeOriginal = firstValueOf(text, entityAndField[1], name);
            StringBuilder alternatives = new StringBuilder(KEYS.pattern());
            String day = null;
            if (name.startsWith("bank-slip/")) {
                Matcher m = EVENT_DAY.matcher(text);
                if (!m.find()) {
                    throw new IllegalArgumentException(name + ": no event_datetime");
                }
                day = m.group(1);
                alternatives.append('|').append(Pattern.quote(day));
            }
            Map<String, Integer> keyNumbers = new LinkedHashMap<>();
            Matcher m = Pattern.compile(alternatives.toString()).matcher(text);
            int last = 0;
            while (m.find()) {
                literals.add(text.substring(last, m.start()));
                String found = m.group();
                slots.add(found.equals(day) ? -1 : keyNumbers.computeIfAbsent(found, k -> keyNumbers.size()));
                last = m.end();
            }
            literals.add(text.substring(last));
            this.keyCount = keyNumbers.size();
            Integer probe = keyNumbers.get(probeOriginal);
            if (probe == null) {
                throw new IllegalArgumentException(name + ": the entity key '" + probeOriginal + "' is not a UUID slot");
            }
            this.probeKey = probe;
            this.size = text.getBytes(StandardCharsets.UTF_8).length;
        }

        String name() {
            return name;
        }

        int size() {
            return size;
        }

        Delivery render(SplittableRandom random, LocalDate day) {
            String[] keys = new String[keyCount];
            for (int i = 0; i < keyCount; i++) {
                keys[i] = randomUuid(random);
            }
            String dayText = day == null ? null : day.toString();
            StringBuilder body = new StringBuilder(size + 16);
            for (int i = 0; i < slots.size(); i++) {
                body.append(literals.get(i));
                int slot = slots.get(i);
                body.append(slot >= 0 ? keys[slot] : dayText);
            }
            body.append(literals.get(literals.size() - 1));
            return new Delivery(body.toString().getBytes(StandardCharsets.UTF_8), name, entity, keys[probeKey]);
        }

        private static String firstValueOf(String text, String field, String name) {
            Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]+)\"").matcher(text);
            if (!m.find()) {
                throw new IllegalArgumentException(name + ": no field '" + field + "'");
            }
            return m.group(1);
        }
    }

    private final Map<String, Template> templates = new LinkedHashMap<>();
    private final Path fixtures;

    private Workloads(Path fixtures) {
        this.fixtures = fixtures;
    }

    static Workloads load(Path fixtures) {
        return new Workloads(fixtures);
    }

    Template template(String name) {
        return templates.computeIfAbsent(name, n -> {
            Path file = fixtures.resolve(n);
            try {
                return new Template(n, new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read fixture " + file, e);
            }
        });
    }

    /** The realistic mix; weights as {@code fixture=weight,...} (see {@link #DEFAULT_MIX}). */
    Workload mix(String spec) {
        List<Template> chosen = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        Map<String, Integer> proportions = new LinkedHashMap<>();
        for (String part : spec.split("\\s*,\\s*")) {
            String[] kv = part.split("=");
            if (kv.length != 2) {
                throw new IllegalArgumentException("BENCH_MIX entries are fixture=weight, not '" + part + "'");
            }
            int weight = Integer.parseInt(kv[1].strip());
            if (weight > 0) {
                chosen.add(template(kv[0].strip()));
                weights.add(weight);
                proportions.put(kv[0].strip(), weight);
            }
        }
        int[] cumulative = new int[weights.size()];
        int total = 0;
        for (int i = 0; i < cumulative.length; i++) {
            total += weights.get(i);
            cumulative[i] = total;
        }
        int sum = total;
        return new Workload() {
            @Override
            public String name() {
                return "mix";
            }

            @Override
            public Delivery next(SplittableRandom random) {
                int r = random.nextInt(sum);
                int i = 0;
                while (cumulative[i] <= r) {
                    i++;
                }
                return chosen.get(i).render(random, spreadDay(random));
            }

            @Override
            public Map<String, Integer> proportions() {
                return proportions;
            }
        };
    }

    /** Only bank-slip {@code paid} webhooks (Pix QR code), fresh slip per request, days spread over 2022. */
    Workload paidSlips() {
        Template paid = template(PAID);
        return new Workload() {
            @Override
            public String name() {
                return "bank-slip-paid";
            }

            @Override
            public Delivery next(SplittableRandom random) {
                return paid.render(random, spreadDay(random));
            }

            @Override
            public Map<String, Integer> proportions() {
                return Map.of(PAID, 100);
            }
        };
    }

    /** Paid slips all settled on one day: the reconciliation report's day. */
    Workload paidSlipsOn(LocalDate day) {
        Template paid = template(PAID);
        return new Workload() {
            @Override
            public String name() {
                return "bank-slip-paid-on-" + day;
            }

            @Override
            public Delivery next(SplittableRandom random) {
                return paid.render(random, day);
            }

            @Override
            public Map<String, Integer> proportions() {
                return Map.of(PAID, 100);
            }
        };
    }

    Workload byName(String name, String mixSpec) {
        return switch (name) {
            case "mix" -> mix(mixSpec);
            case "bank-slip-paid" -> paidSlips();
            default -> throw new IllegalArgumentException("unknown workload '" + name
                    + "' (BENCH_WORKLOADS takes mix and/or bank-slip-paid)");
        };
    }

    private static LocalDate spreadDay(SplittableRandom random) {
        return SPREAD_FROM.plusDays(random.nextInt(SPREAD_DAYS));
    }

    /** A version-4 UUID from the caller's random source (cheaper than SecureRandom under 64 threads). */
    static String randomUuid(SplittableRandom random) {
        long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
