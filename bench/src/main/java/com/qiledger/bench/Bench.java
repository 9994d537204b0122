package com.qiledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The benchmark of issue 6, end to end: starts the packaged service on a fresh embedded database,
 * measures ingestion (maximum throughput with 64 closed-loop senders, then a constant rate at 50% of
 * it, open loop), PostgreSQL's own limit with pgbench on the same server, then fills the store to
 * 1,000,000 events through the API and measures the rebuild, history/asOf reads and the
 * reconciliation report. Writes {@code results.json} and {@code results.md} and prints a summary with
 * PASS/MISS per target. Run through {@code bench/run.sh}; settings in {@link Config} and bench/README.md.
 */
public final class Bench {

    private final Config config;
    private final Path resultsDir;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();
    private Service service;
    private Http http;
    private Workloads workloads;

    private Bench(Config config, Path resultsDir) {
        this.config = config;
        this.resultsDir = resultsDir;
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        Config config = Config.fromEnv(repo);
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        Path dir = config.resultsRoot().resolve(stamp + (config.quick() ? "-quick" : ""));
        Files.createDirectories(dir);
        Bench bench = new Bench(config, dir);
        int code = bench.run();
        System.exit(code);
    }

    private int run() throws IOException {
        results.put("started_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        results.put("quick", config.quick());
        results.put("command", command());
        results.put("machine", Machine.describe(config));
        results.put("config", config.describe());
        System.out.println("QI Ledger benchmark" + (config.quick() ? " (QUICK smoke run: figures are not a benchmark)" : "")
                + "; results in " + resultsDir);
        workloads = Workloads.load(config.fixtures());
        try {
            startService(section("service"), "service.log", Service.UNSIGNED);
            // pgbench and the floor program first, on the quiet server: measured right after the
            // bank-slip ingestion pgbench ran at 14,550-19,376 TPS where the same server does
            // 21,300-23,943 idle (docs/benchmarks.md, 2026-12-07 20:30-22:30), and the floor's ratio
            // must be taken against what PostgreSQL can do, not against what the service left it
            if (config.pgbench()) {
                phase("pgbench", () -> results.put("pgbench", PgBench.run(service, config, resultsDir)));
            }
            if (config.floor()) {
                phase("floor", () -> results.put("floor", Floor.run(service, config)));
            }
            if (!config.workloads().isEmpty()) {
                phase("ingestion", this::ingestion);
            }
            if (config.million()) {
                phase("million", this::million);
            }
            serviceAtEnd(section("service"));
        } catch (Exception e) {
            errors.add("start: " + e.getMessage());
            e.printStackTrace();
        } finally {
            stopService();
        }
        if (config.signed()) {
            phase("signed", this::signed);
        }
        results.put("finished_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        section("machine").put("load_average_at_end", Machine.loadAverage());
        results.put("targets", Targets.evaluate(results, config));
        results.put("errors", errors);
        Http.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(resultsDir.resolve("results.json").toFile(), results);
        String markdown = Report.markdown(results, config);
        Files.writeString(resultsDir.resolve("results.md"), markdown, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(markdown);
        System.out.println("Written: " + resultsDir.resolve("results.md") + " and results.json");
        return errors.isEmpty() ? 0 : 1;
    }

    /** The command as run, with every BENCH_* setting given, so the figures can be reproduced. */
    private static String command() {
        StringBuilder c = new StringBuilder();
        System.getenv().entrySet().stream()
                .filter(e -> e.getKey().startsWith("BENCH_") && !e.getKey().equals("BENCH_CLK_TCK"))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> c.append(e.getKey()).append('=')
                        .append(e.getValue().matches("[A-Za-z0-9_.,:/=+-]*") ? e.getValue() : "'" + e.getValue() + "'")
                        .append(' '));
        return c.append("bench/run.sh").toString();
    }

    private interface Step {
        void run() throws Exception;
    }

    private void phase(String name, Step step) {
        System.out.println("== " + name);
        long t = System.nanoTime();
        try {
            step.run();
        } catch (Exception e) {
            String message = name + ": " + e;
            errors.add(message);
            System.out.println("!! " + message);
            e.printStackTrace(System.out);
        }
        System.out.printf("== %s done in %.0f s%n", name, (System.nanoTime() - t) / 1e9);
    }

    /**
     * Starts the service on a fresh data folder with these webhook-authentication arguments (everything
     * else the same for every start), and describes it into {@code svc}.
     */
    private void startService(Map<String, Object> svc, String log, List<String> webhookAuth) throws IOException {
        System.out.println("== starting the service (fresh embedded PostgreSQL, fsync on, " + webhookAuth.get(0) + ")");
        long t = System.nanoTime();
        service = Service.start(config, resultsDir.resolve(log), webhookAuth);
        http = new Http(service.port(), config.requestTimeout());
        service.awaitHealthy(http, Duration.ofMinutes(3));
        svc.put("pid", service.pid());
        svc.put("port", service.port());
        svc.put("data_dir", service.dataDir().toString());
        svc.put("start_seconds", (System.nanoTime() - t) / 1e9);
        svc.put("java_opts", config.serviceJavaOpts());
        try (Connection c = service.jdbc(Service.DATABASE); Statement s = c.createStatement()) {
            svc.put("postgres_version", scalar(s, "SELECT version()"));
            svc.put("postgres_fsync", scalar(s, "SHOW fsync"));
            svc.put("postgres_synchronous_commit", scalar(s, "SHOW synchronous_commit"));
            svc.put("postgres_shared_buffers", scalar(s, "SHOW shared_buffers"));
            // Every autovacuum in the server's log (results/postgres.log; checkpoints are logged by
            // default since PostgreSQL 15), so that a latency burst can be set against what PostgreSQL
            // was doing then; logging only, no tuning.
            s.execute("ALTER SYSTEM SET log_autovacuum_min_duration = 0");
            s.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            errors.add("postgres settings: " + e.getMessage());
        }
        System.out.printf("   service pid %d on port %d, PostgreSQL on port %d, up in %.1f s%n", service.pid(),
                service.port(), service.postgresPort(), (System.nanoTime() - t) / 1e9);
    }

    private void serviceAtEnd(Map<String, Object> svc) {
        svc.put("peak_rss_bytes", service.peakRssBytes());
        svc.put("cpu_seconds_total", service.cpuSeconds());
        svc.put("alive_at_end", service.alive());
    }

    private void stopService() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    // ---------------------------------------------------------------- ingestion

    private void ingestion() throws Exception {
        Map<String, Object> ingestion = section("ingestion");
        LoadRunner runner = new LoadRunner(http, 42);
        for (String name : config.workloads()) {
            Map<String, Object> w = new LinkedHashMap<>();
            ingestion.put(name, w);
            ingest(runner, workloads.byName(name, config.mix()), w);
        }
        Map<String, Long> total = store();
        Map<String, Object> totals = new LinkedHashMap<>(total);
        long receipts = total.get("receipts");
        if (receipts > 0) {
            totals.put("event_store_bytes_per_webhook",
                    (double) (total.get("domainevententry_bytes") + total.get("receipt_bytes")) / receipts);
        }
        ingestion.put("store_total", totals);
    }

    /**
     * One workload's ingestion figures, into {@code w}: warm-up, JIT settle, maximum throughput, constant
     * rate, and what the store grew by. Before each timed part the workload readies its deliveries
     * ({@link Workloads.Workload#prepare}: nothing for an unsigned one; pre-signed ones are signed then).
     */
    private void ingest(LoadRunner runner, Workloads.Workload workload, Map<String, Object> w) throws Exception {
        String name = workload.name();
        w.put("proportions_percent", workload.proportions());
        System.out.println("-- workload " + name + ": " + workload.proportions());
        Map<String, Long> storeBefore = store();

        System.out.println("   warm-up " + config.warmup().toSeconds() + " s, closed loop, " + config.concurrency()
                + " senders");
        long cap = workload.prepare(closedLoopCap(config.warmup()), config.warmup());
        LoadRunner.Result warm = runner.closedLoop("warmup", workload, config.concurrency(),
                new LoadRunner.Limits(config.warmup(), cap, Long.MAX_VALUE), null, Duration.ofSeconds(10));
        w.put("warmup", summary(warm, null, cap));
        w.put("catch_up_after_warmup", awaitProjections());
        w.put("jit_settle", settle(runner, workload, warm.ackRate() * config.rateFraction()));

        System.out.println("   maximum throughput " + config.maxDuration().toSeconds() + " s, closed loop, "
                + config.concurrency() + " senders");
        cap = workload.prepare(closedLoopCap(config.maxDuration()), config.maxDuration());
        Usage usage = Usage.start(service, config);
        LoadRunner.Result max = runner.closedLoop("max", workload, config.concurrency(),
                new LoadRunner.Limits(config.maxDuration(), cap, Long.MAX_VALUE), null, Duration.ofSeconds(10));
        w.put("max_throughput", summary(max, usage.stop(), cap));
        System.out.printf("   -> %.1f acknowledged/s, p99 %.1f ms, %d failed%s%n", max.ackRate(),
                ms(max.latency, 99), max.failed.sum(), capReached(max, cap) ? " (STOPPED at the pre-signed cap)" : "");
        w.put("catch_up_after_max", awaitProjections());

        if (config.wrk()) {
            w.put("max_throughput_wrk", wrkMax(workload));
            if (Boolean.TRUE.equals(Targets.value(w, "max_throughput_wrk", "available"))) {
                w.put("catch_up_after_max_wrk", awaitProjections());
            }
        }
        Map<String, Object> headline = Targets.headline(w);
        w.put("max_throughput_headline", headline);

        // BENCH_RATE, when set, fixes the rate: A/B runs of two builds then carry the same load.
        double base = headline == null ? max.ackRate() : (Double) headline.get("acknowledged_per_second");
        double rate = config.rate() > 0 ? config.rate() : Math.max(1, base * config.rateFraction());
        System.out.printf("   constant rate %.1f/s (%.0f%% of the headline max %.1f/s, %s) for %d s, open loop, lag probe"
                        + " 1 in %d%n", rate, rate / base * 100, base,
                config.rate() > 0 ? "but fixed by BENCH_RATE"
                        : "from " + (headline == null ? "the Java client" : headline.get("generator")),
                config.rateDuration().toSeconds(), config.lagSampleEvery());
        workload.prepare(LoadRunner.constantRateSends(config.concurrency(), rate, config.rateDuration()),
                config.rateDuration());
        usage = Usage.start(service, config);
        LoadRunner.Result paced = runner.constantRate("rate", workload, config.concurrency(), rate,
                config.rateDuration(), config.lagSampleEvery(), Duration.ofSeconds(30));
        w.put("constant_rate", summary(paced, usage.stop()));
        System.out.printf("   -> ack p50 %.1f / p99 %.1f / p99.9 %.1f ms, lag p99 %.1f ms (%d samples), %d failed%n",
                ms(paced.latency, 50), ms(paced.latency, 99), ms(paced.latency, 99.9), ms(paced.lag, 99),
                paced.lagSamples.sum(), paced.failed.sum());
        w.put("catch_up_after_rate", awaitProjections());

        Map<String, Long> storeAfter = store();
        w.put("store", storeDelta(storeBefore, storeAfter));
        w.put("service_peak_rss_bytes_so_far", service.peakRssBytes());
    }

    /**
     * The maximum-throughput part again, driven by wrk (see {@link Wrk}): same length, same connections,
     * deliveries rendered (signed) before it. Its usage map is the Java part's, with wrk's CPU as the
     * load generator's ({@code bench_jvm_cpu_cores}: this JVM's, idle meanwhile). Not available: why.
     */
    private Map<String, Object> wrkMax(Workloads.Workload workload) {
        Map<String, Object> m = new LinkedHashMap<>();
        Wrk.Probe wrk = Wrk.probe(config.wrkCommand());
        if (wrk.missing() != null) {
            m.put("available", false);
            m.put("reason", wrk.missing());
            System.out.println("   maximum throughput with wrk: N/A (" + wrk.missing() + ")");
            return m;
        }
        Wrk.Part part = null;
        try {
            // a seed of the workload's own: SplittableRandom streams of one seed are the same longs, so the mix
            // (whose paid slips are rendered from them too) and bank-slip-paid with one seed repeated ~3 % of
            // each other's bodies on the one service, answered as resends (20261207-235115Z: 140,050 answers,
            // 135,902 receipts)
            part = Wrk.prepare(config, workload, service.port(), resultsDir, "max",
                    44L + 1_000_003L * workload.name().hashCode());
            System.out.printf("   maximum throughput with wrk %d s, closed loop, %d connections on %d threads: %d deliveries"
                            + " (%.0f MB) rendered%s in %.1f s%n", part.seconds, part.connections, part.threads,
                    part.rendered, part.bytes / 1e6, part.presigned ? " and signed" : "", part.renderSeconds);
            Usage[] usage = new Usage[1];
            Map<String, Long> storeBefore = store();
            Map<String, Object> r = part.run(() -> usage[0] = Usage.start(service, config));
            Map<String, Object> used = usage[0].stop();
            Map<String, Long> storeAfter = store();
            // wrk sees status codes only: what the store gained says whether every 200 was a new
            // delivery (applied, one receipt and one event) and not a resend answered as a duplicate
            r.put("receipts_recorded", storeAfter.get("receipts") - storeBefore.get("receipts"));
            r.put("events_appended", storeAfter.get("events") - storeBefore.get("events"));
            used.put("bench_jvm_cpu_cores", used.get("load_generator_cpu_cores"));
            used.put("load_generator_cpu_cores", r.get("wrk_cpu_cores"));
            m.put("available", true);
            m.put("version", wrk.version());
            m.putAll(r);
            m.put("usage", used);
            @SuppressWarnings("unchecked")
            Map<String, Object> latency = (Map<String, Object>) r.get("latency_ms");
            System.out.printf("   -> %.1f acknowledged/s, p99 %s ms, %d failed (wrk %.2f cores)%s%n",
                    (Double) r.get("acknowledged_per_second"), latency.get("p99"), (Long) r.get("failed"),
                    (Double) r.get("wrk_cpu_cores"), Boolean.TRUE.equals(r.get("cap_reached"))
                            ? " (STOPPED at the " + (part.presigned ? "pre-signed" : "pre-rendered") + " cap)" : "");
        } catch (Exception e) {
            m.put("available", false);
            m.put("reason", "wrk part failed: " + e.getMessage());
            errors.add("wrk (" + workload.name() + "): " + e.getMessage());
            System.out.println("   !! wrk part failed: " + e.getMessage());
        } finally {
            if (part != null) {
                part.cleanup();
            }
        }
        return m;
    }

    /** How many deliveries a closed loop of this length may send at most: what a pre-signed workload signs. */
    private long closedLoopCap(Duration duration) {
        return (long) Math.ceil(config.signedCapRate() * duration.toSeconds());
    }

    private static boolean capReached(LoadRunner.Result r, long cap) {
        return cap != Long.MAX_VALUE && r.sent.sum() >= cap;
    }

    // ---------------------------------------------------------------- signed deliveries (issue 20)

    /**
     * The signed path: OpenSSL's P-521 rate first (on a machine not yet loaded by this phase), then the
     * service started again, on a fresh data folder, with the provider's scheme and a fresh key pair,
     * and the bank-slip-paid workload's parts against it with deliveries signed before each part.
     */
    private void signed() throws Exception {
        Map<String, Object> signed = section("signed");
        int cores = Runtime.getRuntime().availableProcessors();
        signed.put("cores", cores);
        System.out.println("   OpenSSL's single-thread P-521 rate: " + config.opensslCommand() + " speed -seconds "
                + OpenSsl.SECONDS + " ecdsap521");
        Map<String, Object> openssl = OpenSsl.ecdsaP521(config.opensslCommand());
        signed.put("openssl", openssl);
        System.out.println("   -> " + (Boolean.TRUE.equals(openssl.get("available"))
                ? String.format("%.0f verifies/s, %.0f signs/s (%s)", openssl.get("verifies_per_second"),
                        openssl.get("signs_per_second"), openssl.get("version"))
                : "not available: " + openssl.get("reason")));

        Signing signing = Signing.create();
        signed.put("signing_provider", signing.providerDescription());
        signed.put("signing_provider_native", signing.nativeProvider());
        System.out.println("   deliveries signed by " + signing.providerDescription());
        Path publicKey = resultsDir.resolve("signed-public-key.pem");
        Files.writeString(publicKey, signing.publicKeyPem(), StandardCharsets.US_ASCII);
        signed.put("public_key", publicKey.getFileName().toString());

        Map<String, Object> svc = new LinkedHashMap<>();
        signed.put("service", svc);
        Signing.Presigned workload = signing.presigned(workloads.paidSlips(), 43);
        // its figures are a column of the ingestion results, beside the unsigned workloads'
        signed.put("workload", workload.name());
        signed.put("presigned_parts", workload.parts());
        try {
            startService(svc, "service-signed.log", signing.serviceArguments(publicKey.toString()));
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("auth", "qitech-es512");
            section("ingestion").put(workload.name(), w);
            ingest(new LoadRunner(http, 43), workload, w);
            serviceAtEnd(svc);
        } finally {
            stopService();
        }
    }

    /** Table sizes (with indexes and TOAST) and row counts of the event store and the receipts. */
    private Map<String, Long> store() throws IOException, SQLException {
        Map<String, Long> m = new LinkedHashMap<>();
        try (Connection c = service.jdbc(Service.DATABASE); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('domainevententry'),"
                        + " pg_total_relation_size('receipt'), (SELECT count(*) FROM domainevententry),"
                        + " (SELECT count(*) FROM receipt), pg_database_size(current_database())")) {
            rs.next();
            m.put("domainevententry_bytes", rs.getLong(1));
            m.put("receipt_bytes", rs.getLong(2));
            m.put("events", rs.getLong(3));
            m.put("receipts", rs.getLong(4));
            m.put("database_bytes", rs.getLong(5));
        }
        return m;
    }

    private static Map<String, Object> storeDelta(Map<String, Long> before, Map<String, Long> after) {
        long events = after.get("events") - before.get("events");
        long receipts = after.get("receipts") - before.get("receipts");
        long eventBytes = after.get("domainevententry_bytes") - before.get("domainevententry_bytes");
        long receiptBytes = after.get("receipt_bytes") - before.get("receipt_bytes");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("webhooks_recorded", receipts);
        m.put("events_appended", events);
        m.put("domainevententry_bytes_added", eventBytes);
        m.put("receipt_bytes_added", receiptBytes);
        if (receipts > 0) {
            m.put("events_per_webhook", (double) events / receipts);
            m.put("event_store_bytes_per_webhook", (double) (eventBytes + receiptBytes) / receipts);
            m.put("domainevententry_bytes_per_webhook", (double) eventBytes / receipts);
            m.put("receipt_bytes_per_webhook", (double) receiptBytes / receipts);
        }
        return m;
    }

    /** Waits until every read model has processed the head of the event store; how long it took. */
    private Map<String, Object> awaitProjections() {
        Map<String, Object> m = new LinkedHashMap<>();
        long start = System.nanoTime();
        long deadline = start + config.catchUpTimeout().toNanos();
        long firstBacklog = -1;
        while (true) {
            Http.Answer answer = http.get("/api/v1/projections", Http.OPERATOR, Duration.ofSeconds(10));
            if (answer.status() != 200) {
                m.put("error", "GET /api/v1/projections answered " + answer.status());
                return m;
            }
            JsonNode status = answer.json();
            long head = status.path("head").asLong();
            long slowest = Long.MAX_VALUE;
            for (JsonNode p : status.path("processors")) {
                slowest = Math.min(slowest, p.path("position").asLong());
            }
            long backlog = slowest == Long.MAX_VALUE ? 0 : Math.max(0, head - slowest);
            if (firstBacklog < 0) {
                firstBacklog = backlog;
            }
            if (backlog == 0 && !"running".equals(status.path("rebuild").path("state").asText())) {
                break;
            }
            if (System.nanoTime() > deadline) {
                m.put("error", "read models still " + backlog + " events behind after " + config.catchUpTimeout());
                break;
            }
            Service.sleep(100);
        }
        m.put("backlog_events", firstBacklog);
        m.put("seconds", (System.nanoTime() - start) / 1e9);
        if (firstBacklog > 0) {
            System.out.printf("   read models were %d events behind; caught up in %.1f s%n", firstBacklog,
                    (System.nanoTime() - start) / 1e9);
        }
        return m;
    }

    // ---------------------------------------------------------------- 1,000,000 events

    private void million() throws Exception {
        Map<String, Object> m = section("million");
        LoadRunner runner = new LoadRunner(http, 7);
        m.put("events_target", config.eventsTarget());
        long deadline = System.nanoTime() + config.fillMax().toNanos();

        // Keys of the report-day slips, for the history/asOf reads.
        List<String> keys = Collections.synchronizedList(new ArrayList<>());
        int keep = Math.max(config.readSamples() * 4, 10_000);
        Consumer<LoadRunner.Acked> collect = acked -> {
            if (keys.size() < keep && "applied".equals(acked.ack().outcome())) {
                keys.add(acked.delivery().entityKey());
            }
        };
        System.out.printf("   fill 1/2: %d paid slips settled on %s (the report's day), %d senders%n",
                config.reportSlips(), config.reportDay(), config.concurrency());
        Usage usage = Usage.start(service, config);
        LoadRunner.Result day = runner.closedLoop("fill-report-day", workloads.paidSlipsOn(config.reportDay()),
                config.concurrency(), new LoadRunner.Limits(remaining(deadline), config.reportSlips(), Long.MAX_VALUE),
                collect, Duration.ofSeconds(30));
        m.put("fill_report_day", summary(day, usage.stop()));
        m.put("report_day_slips_applied", day.outcome("applied"));

        long events = store().get("events");
        if (events < config.eventsTarget()) {
            System.out.printf("   fill 2/2: mix until %d events (now %d), at most %d s%n", config.eventsTarget(), events,
                    remaining(deadline).toSeconds());
            usage = Usage.start(service, config);
            LoadRunner.Result mix = runner.closedLoop("fill-mix", workloads.mix(config.mix()), config.concurrency(),
                    new LoadRunner.Limits(remaining(deadline), Long.MAX_VALUE, config.eventsTarget()), null,
                    Duration.ofSeconds(30));
            m.put("fill_mix", summary(mix, usage.stop()));
        }
        Map<String, Long> store = store();
        m.put("store", store);
        m.put("events_in_store", store.get("events"));
        m.put("target_reached", store.get("events") >= config.eventsTarget());
        System.out.printf("   %d events in the store (target %d)%n", store.get("events"), config.eventsTarget());
        m.put("catch_up_after_fill", awaitProjections());

        m.put("rebuild", rebuild());
        m.put("catch_up_after_rebuild", awaitProjections());

        List<String> sample = new ArrayList<>(keys);
        Collections.shuffle(sample, new java.util.Random(1));
        if (sample.isEmpty()) {
            m.put("reads", Map.of("error", "no bank-slip keys collected"));
        } else {
            String asOf = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            m.put("history", reads(sample, key -> "/api/v1/bank-slips/" + key + "/history", "history"));
            m.put("as_of", reads(sample, key -> "/api/v1/bank-slips/" + key + "?asOf=" + asOf, "asOf"));
        }
        m.put("reconciliation_report", report());
    }

    private Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private Map<String, Object> rebuild() {
        Map<String, Object> m = new LinkedHashMap<>();
        System.out.println("   rebuild of every read model: POST /api/v1/projections/rebuild");
        long start = System.nanoTime();
        Http.Answer started = http.post("/api/v1/projections/rebuild", Http.OPERATOR, Duration.ofSeconds(30));
        m.put("post_status", started.status());
        if (started.status() != 202) {
            m.put("error", "POST /api/v1/projections/rebuild answered " + started.status() + ": "
                    + new String(started.body(), StandardCharsets.UTF_8));
            return m;
        }
        long deadline = start + config.rebuildTimeout().toNanos();
        long nextPrint = start + TimeUnit.SECONDS.toNanos(30);
        JsonNode rebuild = null;
        while (System.nanoTime() < deadline) {
            Service.sleep(500);
            Http.Answer answer = http.get("/api/v1/projections", Http.OPERATOR, Duration.ofSeconds(30));
            if (answer.status() != 200) {
                continue;
            }
            rebuild = answer.json().path("rebuild");
            String state = rebuild.path("state").asText();
            if (state.equals("done") || state.equals("failed")) {
                break;
            }
            if (System.nanoTime() > nextPrint) {
                System.out.printf("    rebuild: %d of %d events replayed%n", rebuild.path("events_replayed").asLong(),
                        rebuild.path("target_position").asLong());
                nextPrint += TimeUnit.SECONDS.toNanos(30);
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        m.put("wall_seconds", wall);
        if (rebuild == null) {
            m.put("error", "no rebuild status");
            return m;
        }
        m.put("state", rebuild.path("state").asText());
        m.put("events_replayed", rebuild.path("events_replayed").asLong());
        m.put("duration_millis", rebuild.path("duration_millis").asLong());
        m.put("events_per_second", rebuild.path("events_per_second").asLong());
        m.put("events_per_second_wall", rebuild.path("events_replayed").asLong() / wall);
        if (!rebuild.path("error").isNull()) {
            m.put("error", rebuild.path("error").asText());
        }
        System.out.printf("   -> rebuild %s: %d events, %d events/s (service), %.1f s wall%n", m.get("state"),
                rebuild.path("events_replayed").asLong(), rebuild.path("events_per_second").asLong(), wall);
        return m;
    }

    /**
     * One client, sequential GETs, latency per read. First the read path is warmed until the JIT
     * settles (as the ingestion does): 10 s rounds of reads of other keys until the compiler
     * threads use less than {@code BENCH_JIT_QUIET_CORES}, at most {@code BENCH_READ_SETTLE_MAX_SECONDS};
     * each round's p99 is kept, so the cold reads stay visible. Then {@code BENCH_READ_SAMPLES} reads
     * of distinct keys are measured, none of them read in the warm-up unless fewer keys than that were
     * collected (then the warm-up reads the same keys).
     */
    private Map<String, Object> reads(List<String> keys, java.util.function.Function<String, String> path,
                                      String label) {
        int samples = config.readSamples();
        List<String> measured = keys.subList(0, Math.min(keys.size(), samples));
        List<String> warmKeys = keys.size() > samples ? keys.subList(samples, keys.size()) : keys;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jit_settle", settleReads(warmKeys, path, label));
        Histogram h = LoadRunner.histogram();
        Map<Integer, Long> statuses = new LinkedHashMap<>();
        // Whether the measured reads went to the disk: a store larger than PostgreSQL's shared buffers is
        // served from the page cache, which this kind of VM empties of pages idle for a minute (DAMON).
        Map<String, Long> before = Machine.vmstat();
        for (int i = 0; i < samples; i++) {
            Http.Answer a = timedRead(h, path.apply(measured.get(i % measured.size())));
            statuses.merge(a.status(), 1L, Long::sum);
        }
        m.put("reads", samples);
        m.put("distinct_keys", measured.size());
        m.put("statuses", statuses);
        m.put("latency_ms", percentiles(h));
        Map<String, Long> after = Machine.vmstat();
        long disk = Machine.delta(before, after, "pgpgin");
        long refaults = Machine.delta(before, after, "workingset_refault_file");
        m.put("machine_disk_read_kib", disk);
        m.put("machine_page_cache_refaults", refaults);
        System.out.printf("   -> %s: p50 %.1f ms, p99 %.1f ms over %d reads, statuses %s; the machine read %d KiB from "
                + "disk meanwhile (%d page-cache refaults)%n", label, ms(h, 50), ms(h, 99), samples, statuses, disk, refaults);
        return m;
    }

    /** One auditor's GET, its latency recorded into {@code h}. */
    private Http.Answer timedRead(Histogram h, String uri) {
        long t = System.nanoTime();
        Http.Answer answer = http.get(uri, Http.AUDITOR, Duration.ofSeconds(30));
        LoadRunner.record(h, System.nanoTime() - t);
        return answer;
    }

    /** Sequential reads in 10 s rounds until the service's compiler threads are quiet (see {@link #reads}). */
    private Map<String, Object> settleReads(List<String> keys, java.util.function.Function<String, String> path,
                                            String label) {
        List<Double> p99 = new ArrayList<>();
        long[] reads = {0};
        JitSettle settled = untilJitQuiet(config.readSettleMax(), () -> { }, () -> {
            Histogram h = LoadRunner.histogram();
            long roundEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < roundEnd) {
                timedRead(h, path.apply(keys.get((int) (reads[0]++ % keys.size()))));
            }
            p99.add(Math.round(ms(h, 99) * 10) / 10.0);
        });
        System.out.printf("   %s warm-up: %s after %.0f s, %d reads; compiler cores per round %s, p99 ms per round %s%n",
                label, settled.quiet() ? "settled" : "NOT settled", settled.seconds(), reads[0], settled.cores(), p99);
        Map<String, Object> m = settled.describe();
        m.put("reads", reads[0]);
        m.put("p99_ms_per_round", p99);
        return m;
    }

    private Map<String, Object> report() {
        Map<String, Object> m = new LinkedHashMap<>();
        String path = "/api/v1/reports/reconciliation?from=" + config.reportDay() + "&to=" + config.reportDay();
        m.put("path", path);
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < config.reportRuns(); i++) {
            long t = System.nanoTime();
            Http.Answer a = http.get(path, Http.FINANCE, Duration.ofMinutes(5));
            double s = (System.nanoTime() - t) / 1e9;
            if (a.status() == 404 || a.status() == 405) {
                m.put("available", false);
                m.put("status", a.status());
                System.out.println("   -> reconciliation report: not available (" + a.status() + ")");
                return m;
            }
            m.put("status", a.status());
            m.put("body_bytes", a.body().length);
            if (a.status() != 200) {
                m.put("available", false);
                m.put("error", a.status() == -1 ? a.error() : new String(a.body(), StandardCharsets.UTF_8));
                return m;
            }
            seconds.add(s);
        }
        m.put("available", true);
        m.put("seconds_each", seconds);
        m.put("seconds_first", seconds.get(0));
        m.put("seconds_best", Collections.min(seconds));
        System.out.printf("   -> reconciliation report for %s: %s s%n", config.reportDay(), seconds);
        return m;
    }

    /**
     * The second part of the warm-up. On two cores a closed loop starves the JIT: its compiler threads
     * get a thread's share of a saturated CPU, and the backlog of methods waiting for C2 is compiled
     * as soon as the load drops, i.e. during the constant-rate run (measured: half a core of C2 for
     * minutes), where it would be charged to the service's latency and lag. So after the closed loop,
     * the workload runs open loop at the constant run's fraction of the warm-up's rate, with lag
     * probes (the reads the constant-rate run makes), in 10 s rounds until the compiler threads use
     * less than {@code BENCH_JIT_QUIET_CORES} in a round, for at most {@code BENCH_SETTLE_MAX_SECONDS}.
     */
    private Map<String, Object> settle(LoadRunner runner, Workloads.Workload workload, double rate) {
        double paced = Math.max(1, rate);
        System.out.printf("   settling the JIT: open loop at %.1f/s with lag probes until the compiler threads use "
                + "< %.2f cores for 10 s (at most %d s)%n", paced, config.jitQuietCores(), config.settleMax().toSeconds());
        Duration round = Duration.ofSeconds(10);
        long[] sent = {0};
        Map<String, Long> failures = new TreeMap<>();
        JitSettle settled = untilJitQuiet(config.settleMax(),
                () -> workload.prepare(LoadRunner.constantRateSends(config.concurrency(), paced, round), round),
                () -> {
                    LoadRunner.Result r = runner.constantRate("settle", workload, config.concurrency(), paced, round,
                            config.lagSampleEvery(), Duration.ofSeconds(30));
                    sent[0] += r.sent.sum();
                    r.failures.forEach((why, n) -> failures.merge(why, n.sum(), Long::sum));
                });
        System.out.printf("   -> %s after %.0f s; compiler cores per round %s%s%n",
                settled.quiet() ? "settled" : "NOT settled", settled.seconds(), settled.cores(),
                failures.isEmpty() ? "" : "; failed: " + failures);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate", paced);
        m.putAll(settled.describe());
        m.put("sent", sent[0]);
        m.put("failures", failures);
        m.put("catch_up_after_settle", awaitProjections());
        return m;
    }

    /** Whether the compiler went quiet, after how long, and its cores in each round. */
    private record JitSettle(boolean quiet, double seconds, List<Double> cores) {
        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("settled", quiet);
            m.put("seconds", seconds);
            m.put("jit_compiler_cores_per_round", cores);
            return m;
        }
    }

    /**
     * Runs {@code round} (about 10 s of load) again until the service's compiler threads used less than
     * {@code BENCH_JIT_QUIET_CORES} in one, or {@code max} has passed. {@code before} readies each round,
     * outside its measurement (pre-signed deliveries are signed there).
     */
    private JitSettle untilJitQuiet(Duration max, Runnable before, Runnable round) {
        long started = System.nanoTime();
        long deadline = started + max.toNanos();
        List<Double> cores = new ArrayList<>();
        boolean quiet = false;
        while (!quiet && System.nanoTime() < deadline) {
            before.run();
            Usage usage = Usage.start(service, config);
            round.run();
            double used = usage.jitCores();
            cores.add(Math.round(used * 1000) / 1000.0);
            quiet = used < config.jitQuietCores();
        }
        return new JitSettle(quiet, (System.nanoTime() - started) / 1e9, cores);
    }

    // ---------------------------------------------------------------- helpers

    /** CPU of the service, of its PostgreSQL and of this load generator over one run. */
    private record Usage(Service service, long clockTicks, long nanos, double serviceCpu, double jitCpu,
                         double postgresCpu, double ownCpu) {
        static Usage start(Service service, Config config) {
            return new Usage(service, config.clockTicks(), System.nanoTime(), service.cpuSeconds(),
                    service.jitCpuSeconds(), service.postgresCpuSeconds(), Service.ownCpuSeconds(config.clockTicks()));
        }

        /** Cores the service's JIT compiler threads used since the start. */
        double jitCores() {
            return (service.jitCpuSeconds() - jitCpu) / ((System.nanoTime() - nanos) / 1e9);
        }

        Map<String, Object> stop() {
            double wall = (System.nanoTime() - nanos) / 1e9;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("service_cpu_cores", (service.cpuSeconds() - serviceCpu) / wall);
            m.put("service_jit_compiler_cpu_cores", (service.jitCpuSeconds() - jitCpu) / wall);
            m.put("postgres_cpu_cores", (service.postgresCpuSeconds() - postgresCpu) / wall);
            m.put("load_generator_cpu_cores", (Service.ownCpuSeconds(clockTicks) - ownCpu) / wall);
            m.put("service_rss_bytes", service.rssBytes());
            m.put("service_peak_rss_bytes", service.peakRssBytes());
            m.put("postgres_rss_bytes_summed", service.postgresRssBytes());
            return m;
        }
    }

    private static Map<String, Object> summary(LoadRunner.Result r, Map<String, Object> usage) {
        return summary(r, usage, Long.MAX_VALUE);
    }

    /** {@code cap}: the most a closed loop could send (its pre-signed deliveries), Long.MAX_VALUE for no cap. */
    private static Map<String, Object> summary(LoadRunner.Result r, Map<String, Object> usage, long cap) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", r.mode);
        m.put("senders", r.senders);
        m.put("seconds", r.seconds);
        if (cap != Long.MAX_VALUE) {
            m.put("presigned_cap", cap);
            m.put("presigned_cap_reached", capReached(r, cap));
        }
        if (r.targetRate > 0) {
            m.put("target_rate", r.targetRate);
            m.put("sent_per_second", r.sent.sum() / r.seconds);
            m.put("late_starts_over_1ms", r.lateStarts.sum());
        }
        m.put("sent", r.sent.sum());
        m.put("acknowledged", r.acknowledged.sum());
        m.put("acknowledged_per_second", r.ackRate());
        m.put("failed", r.failed.sum());
        Map<String, Long> failures = new LinkedHashMap<>();
        r.failures.forEach((k, v) -> failures.put(k, v.sum()));
        m.put("failures", failures);
        Map<String, Long> outcomes = new LinkedHashMap<>();
        r.outcomes.forEach((k, v) -> outcomes.put(k, v.sum()));
        m.put("outcomes", outcomes);
        m.put("head_position", r.maxPosition.get());
        m.put(r.targetRate > 0 ? "latency_from_intended_start_ms" : "latency_ms", percentiles(r.latency));
        if (r.latencyByFixture.size() > 1) {
            Map<String, Object> byFixture = new LinkedHashMap<>();
            r.latencyByFixture.forEach((k, h) -> byFixture.put(k, percentiles(h)));
            m.put("latency_ms_by_fixture", byFixture);
        }
        if (r.targetRate > 0) {
            m.put("service_time_ms", percentiles(r.serviceTime));
            Map<String, Object> lag = percentiles(r.lag);
            lag.put("samples", r.lagSamples.sum());
            lag.put("failures", r.lagFailures.sum());
            m.put("projection_lag_ms", lag);
        }
        if (usage != null) {
            m.put("usage", usage);
        }
        if (r.seconds <= 900) {
            m.put("timeline_second_answers_slowest_ms", r.timeline());
        }
        return m;
    }

    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return m;
        }
        m.put("p50", ms(h, 50));
        m.put("p90", ms(h, 90));
        m.put("p99", ms(h, 99));
        m.put("p99_9", ms(h, 99.9));
        m.put("max", h.getMaxValue() / 1000.0);
        m.put("mean", h.getMean() / 1000.0);
        return m;
    }

    static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> section(String name) {
        return (Map<String, Object>) results.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
    }

    private static String scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
