package com.qiledger.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every knob of the benchmark, read from environment variables ({@code BENCH_*}). Defaults are the
 * full run of issue 6; {@code BENCH_QUICK=1} switches every default to a smoke-test size (an
 * explicitly set variable still wins).
 */
record Config(
        boolean quick,
        Path repo,
        Path fixtures,
        Path resultsRoot,
        Path workDir,
        Path pgBinaries,
        boolean keepData,
        String serviceJavaOpts,
        int concurrency,
        Duration warmup,
        Duration settleMax,
        double jitQuietCores,
        Duration maxDuration,
        Duration rateDuration,
        double rateFraction,
        double rate,
        int lagSampleEvery,
        Duration requestTimeout,
        List<String> workloads,
        String mix,
        boolean pgbench,
        String pgbenchCommand,
        int pgbenchClients,
        int pgbenchThreads,
        int pgbenchRowBytes,
        boolean floor,
        boolean signed,
        double signedCapRate,
        String opensslCommand,
        boolean wrk,
        String wrkCommand,
        boolean million,
        long eventsTarget,
        long reportSlips,
        LocalDate reportDay,
        Duration fillMax,
        int readSamples,
        Duration readSettleMax,
        Duration rebuildTimeout,
        Duration catchUpTimeout,
        int reportRuns,
        long clockTicks) {

    static Config fromEnv(Path repo) {
        Map<String, String> env = System.getenv();
        boolean quick = flag(env, "BENCH_QUICK", false);
        Env e = new Env(env, quick);
        int concurrency = e.integer("BENCH_CONCURRENCY", 64, 64);
        return new Config(
                quick,
                repo,
                e.path("BENCH_FIXTURES", repo.resolve("api/src/test/resources/webhooks")),
                e.path("BENCH_RESULTS_DIR", repo.resolve("bench/results")),
                e.path("BENCH_WORK_DIR", Path.of(System.getProperty("java.io.tmpdir"))),
                e.path("BENCH_PG_BINARIES", Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-bench-pg-bin")),
                flag(env, "BENCH_KEEP_DATA", false),
                env.getOrDefault("BENCH_SERVICE_JAVA_OPTS", ""),
                concurrency,
                e.seconds("BENCH_WARMUP_SECONDS", 120, 5),
                e.seconds("BENCH_SETTLE_MAX_SECONDS", 600, 20),
                Double.parseDouble(env.getOrDefault("BENCH_JIT_QUIET_CORES", "0.05")),
                e.seconds("BENCH_DURATION_SECONDS", 60, 10),
                e.seconds("BENCH_RATE_DURATION_SECONDS", 60, 10),
                Double.parseDouble(env.getOrDefault("BENCH_RATE_FRACTION", "0.5")),
                Double.parseDouble(env.getOrDefault("BENCH_RATE", "0")),
                e.integer("BENCH_LAG_SAMPLE_EVERY", 20, 20),
                e.seconds("BENCH_REQUEST_TIMEOUT_SECONDS", 10, 10),
                java.util.Arrays.stream(env.getOrDefault("BENCH_WORKLOADS", "mix,bank-slip-paid").split(","))
                        .map(String::strip).filter(w -> !w.isEmpty()).toList(),
                env.getOrDefault("BENCH_MIX", Workloads.DEFAULT_MIX),
                flag(env, "BENCH_PGBENCH", true),
                env.getOrDefault("BENCH_PGBENCH_COMMAND", "pgbench"),
                e.integer("BENCH_PGBENCH_CLIENTS", concurrency, concurrency),
                e.integer("BENCH_PGBENCH_THREADS", Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().availableProcessors()),
                e.integer("BENCH_PGBENCH_ROW_BYTES", 700, 700),
                flag(env, "BENCH_FLOOR", true),
                flag(env, "BENCH_SIGNED", true),
                Double.parseDouble(env.getOrDefault("BENCH_SIGNED_CAP_RATE", "2500")),
                env.getOrDefault("BENCH_OPENSSL_COMMAND", "openssl"),
                flag(env, "BENCH_WRK", true),
                env.getOrDefault("BENCH_WRK_COMMAND", "wrk"),
                flag(env, "BENCH_MILLION", true),
                e.longValue("BENCH_EVENTS_TARGET", 1_000_000, 20_000),
                e.longValue("BENCH_REPORT_SLIPS", 100_000, 2_000),
                LocalDate.parse(env.getOrDefault("BENCH_REPORT_DAY", "2023-01-10")),
                e.seconds("BENCH_FILL_MAX_SECONDS", 4 * 3600, 300),
                e.integer("BENCH_READ_SAMPLES", 1000, 200),
                e.seconds("BENCH_READ_SETTLE_MAX_SECONDS", 300, 20),
                e.seconds("BENCH_REBUILD_TIMEOUT_SECONDS", 3600, 600),
                e.seconds("BENCH_CATCHUP_TIMEOUT_SECONDS", 900, 300),
                e.integer("BENCH_REPORT_RUNS", 3, 2),
                e.longValue("BENCH_CLK_TCK", 100, 100));
    }

    /** What went into the run, for results.json. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("quick", quick);
        m.put("concurrency", concurrency);
        m.put("warmup_seconds", warmup.toSeconds());
        m.put("settle_max_seconds", settleMax.toSeconds());
        m.put("jit_quiet_cores", jitQuietCores);
        m.put("max_throughput_seconds", maxDuration.toSeconds());
        m.put("constant_rate_seconds", rateDuration.toSeconds());
        m.put("rate_fraction", rateFraction);
        m.put("rate", rate);
        m.put("lag_sample_every", lagSampleEvery);
        m.put("request_timeout_seconds", requestTimeout.toSeconds());
        m.put("workloads", workloads);
        m.put("mix", mix);
        m.put("pgbench", pgbench);
        m.put("pgbench_clients", pgbenchClients);
        m.put("pgbench_threads", pgbenchThreads);
        m.put("pgbench_row_bytes", pgbenchRowBytes);
        m.put("floor", floor);
        m.put("signed", signed);
        m.put("signed_cap_rate", signedCapRate);
        m.put("wrk", wrk);
        m.put("wrk_command", wrkCommand);
        m.put("million_phase", million);
        m.put("events_target", eventsTarget);
        m.put("report_day", reportDay.toString());
        m.put("report_day_slips", reportSlips);
        m.put("fill_max_seconds", fillMax.toSeconds());
        m.put("read_samples", readSamples);
        m.put("read_settle_max_seconds", readSettleMax.toSeconds());
        m.put("service_java_opts", serviceJavaOpts);
        return m;
    }

    private static boolean flag(Map<String, String> env, String name, boolean dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        return v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes");
    }

    private record Env(Map<String, String> env, boolean quick) {
        int integer(String name, int full, int quickValue) {
            return (int) longValue(name, full, quickValue);
        }

        long longValue(String name, long full, long quickValue) {
            String v = env.get(name);
            return v == null || v.isBlank() ? (quick ? quickValue : full) : Long.parseLong(v.strip().replace("_", ""));
        }

        Duration seconds(String name, long full, long quickValue) {
            return Duration.ofSeconds(longValue(name, full, quickValue));
        }

        Path path(String name, Path dflt) {
            String v = env.get(name);
            return v == null || v.isBlank() ? dflt : Path.of(v).toAbsolutePath();
        }
    }
}
