package com.qiledger.bench;

import static com.qiledger.bench.Targets.number;
import static com.qiledger.bench.Targets.text;
import static com.qiledger.bench.Targets.value;

import java.util.List;
import java.util.Map;

/** results.md: the summary table, the targets with PASS/MISS, and what the figures ran on. */
final class Report {

    static String markdown(Map<String, Object> r, Config config) {
        StringBuilder md = new StringBuilder();
        md.append("# QI Ledger benchmark, ").append(r.get("started_at")).append("\n\n");
        if (config.quick()) {
            md.append("> **QUICK smoke run** (BENCH_QUICK=1: short durations, small counts). These figures show that the"
                    + " harness works end to end; they are not a benchmark.\n\n");
        }
        md.append("- command: `").append(r.get("command")).append("`, commit ")
                .append(text(r, "machine", "git_commit"))
                .append(Boolean.TRUE.equals(value(r, "machine", "git_dirty")) ? " (with local changes)" : "")
                .append("\n");
        md.append("- machine: ").append(text(r, "machine", "cpus")).append(" CPUs (")
                .append(text(r, "machine", "cpu_model")).append("), ").append(text(r, "machine", "memory"))
                .append(" RAM, ").append(text(r, "machine", "os")).append(", kernel ")
                .append(text(r, "machine", "kernel")).append(", ").append(text(r, "machine", "java")).append("\n");
        md.append("- load average at start / end: ").append(text(r, "machine", "load_average_at_start"))
                .append(" / ").append(text(r, "machine", "load_average_at_end")).append("\n");
        md.append("- PostgreSQL: ").append(shortVersion(text(r, "service", "postgres_version")))
                .append(" embedded, fsync ").append(text(r, "service", "postgres_fsync"))
                .append(", synchronous_commit ").append(text(r, "service", "postgres_synchronous_commit"))
                .append(", shared_buffers ").append(text(r, "service", "postgres_shared_buffers")).append("\n");
        md.append("- load generator and service on the same machine; ").append(config.concurrency())
                .append(" senders; max-throughput ").append(config.maxDuration().toSeconds()).append(" s after a ")
                .append(config.warmup().toSeconds()).append(" s warm-up; constant rate ")
                .append(config.rateDuration().toSeconds()).append(" s at ")
                .append(config.rate() > 0 ? String.format("a fixed %.1f webhooks/s (BENCH_RATE)", config.rate())
                        : Math.round(config.rateFraction() * 100) + "% of the headline max").append("\n\n");

        List<String> workloads = new java.util.ArrayList<>(config.workloads());
        String signed = text(r, "signed", "workload");
        if (signed != null && value(r, "ingestion", signed) != null) {
            workloads.add(signed); // the signed phase's figures, beside the unsigned ones
        }
        md.append("## Ingestion\n\n| | ").append(String.join(" | ", workloads)).append(" |\n|---|");
        md.append("---|".repeat(workloads.size())).append("\n");
        Double tps = number(r, "pgbench", "tps");
        row(md, "max acknowledged webhooks/s, Java client (closed loop)", workloads, w -> f0(n(r, w, "max_throughput",
                "acknowledged_per_second")));
        row(md, "max acknowledged webhooks/s, wrk (closed loop)", workloads, w -> {
            if (Boolean.FALSE.equals(value(r, "ingestion", w, "max_throughput_wrk", "available"))) {
                return "N/A (" + text(r, "ingestion", w, "max_throughput_wrk", "reason") + ")";
            }
            Double a = n(r, w, "max_throughput_wrk", "acknowledged_per_second");
            return a == null ? "-" : f0(a) + (Boolean.TRUE.equals(value(r, "ingestion", w, "max_throughput_wrk",
                    "cap_reached")) ? " (stopped at its cap of " + text(r, "ingestion", w, "max_throughput_wrk", "cap")
                    + " pre-made deliveries)" : "");
        });
        row(md, "**headline max** (the higher with 0 failed; targets judged on it)", workloads, w -> {
            Map<String, Object> head = Targets.headline(r, w);
            return head == null ? "-" : String.format("**%.0f** (%s)", (Double) head.get("acknowledged_per_second"),
                    head.get("generator"));
        });
        row(md, "ratio of the headline max to pgbench TPS", workloads, w -> {
            Map<String, Object> head = Targets.headline(r, w);
            return head == null || tps == null ? "-"
                    : String.format("%.3f", (Double) head.get("acknowledged_per_second") / tps);
        });
        row(md, "wrk: failed (non-2xx / socket errors incl. timeouts)", workloads, w -> {
            Double f = n(r, w, "max_throughput_wrk", "failed");
            return f == null ? "-" : String.format("%.0f (%s / %s)", f,
                    f0(n(r, w, "max_throughput_wrk", "failures", "non_2xx")),
                    f0(n(r, w, "max_throughput_wrk", "failures", "socket_errors")));
        });
        row(md, "wrk: 200 answers / receipts and events the store gained", workloads, w -> {
            Double a = n(r, w, "max_throughput_wrk", "acknowledged");
            return a == null ? "-" : String.format("%s / %s and %s", f0(a),
                    f0(n(r, w, "max_throughput_wrk", "receipts_recorded")),
                    f0(n(r, w, "max_throughput_wrk", "events_appended")));
        });
        row(md, "wrk: ack latency p50 / p99 at max", workloads, w -> triple(r, w, "max_throughput_wrk", "latency_ms",
                "p50", "p99", null));
        row(md, "wrk: service / PostgreSQL / wrk CPU cores at max", workloads, w -> String.format("%s / %s / %s",
                f2(n(r, w, "max_throughput_wrk", "usage", "service_cpu_cores")),
                f2(n(r, w, "max_throughput_wrk", "usage", "postgres_cpu_cores")),
                f2(n(r, w, "max_throughput_wrk", "usage", "load_generator_cpu_cores"))));
        row(md, "service + PostgreSQL CPU ms per acknowledged webhook at max: Java client / wrk", workloads,
                w -> String.format("%s / %s", cpuPerWebhook(r, w, "max_throughput"),
                        cpuPerWebhook(r, w, "max_throughput_wrk")));
        row(md, "failed requests (Java client's max run + constant-rate run)", workloads, w -> {
            Double a = n(r, w, "max_throughput", "failed");
            Double b = n(r, w, "constant_rate", "failed");
            return a == null ? "-" : String.format("%.0f + %.0f", a, b == null ? 0 : b);
        });
        row(md, "ack latency p50 / p99 at max, Java client (service time)", workloads, w -> triple(r, w, "max_throughput",
                "latency_ms", "p50", "p99", null));
        row(md, "constant rate: target / achieved webhooks/s", workloads, w -> {
            Double t = n(r, w, "constant_rate", "target_rate");
            Double a = n(r, w, "constant_rate", "acknowledged_per_second");
            return t == null ? "-" : String.format("%.0f / %.0f", t, a);
        });
        row(md, "ack latency p50 / p99 / p99.9 at constant rate (from intended start)", workloads,
                w -> triple(r, w, "constant_rate", "latency_from_intended_start_ms", "p50", "p99", "p99_9"));
        row(md, "projection lag p50 / p99 (200 to queryable)", workloads, w -> {
            String s = triple(r, w, "constant_rate", "projection_lag_ms", "p50", "p99", null);
            Double samples = n(r, w, "constant_rate", "projection_lag_ms", "samples");
            Double failures = n(r, w, "constant_rate", "projection_lag_ms", "failures");
            return s + (samples == null ? "" : String.format(" (%.0f samples%s)", samples,
                    failures != null && failures > 0 ? String.format(", %.0f unanswered", failures) : ""));
        });
        row(md, "read-model backlog after max run, catch-up time", workloads, w -> {
            Double b = n(r, w, "catch_up_after_max", "backlog_events");
            Double s = n(r, w, "catch_up_after_max", "seconds");
            return b == null ? "-" : String.format("%.0f events, %.1f s", b, s);
        });
        row(md, "service CPU cores at max (Java client) / at constant rate", workloads, w -> String.format("%s / %s",
                f2(n(r, w, "max_throughput", "usage", "service_cpu_cores")),
                f2(n(r, w, "constant_rate", "usage", "service_cpu_cores"))));
        row(md, "of which JIT compiler threads, at max (Java client) / at constant rate", workloads, w -> String.format("%s / %s",
                f2(n(r, w, "max_throughput", "usage", "service_jit_compiler_cpu_cores")),
                f2(n(r, w, "constant_rate", "usage", "service_jit_compiler_cpu_cores"))));
        row(md, "warm-up before it (closed loop, not counted): webhooks/s", workloads, w -> String.format(
                "%s in %s s", f0(n(r, w, "warmup", "acknowledged_per_second")), f0(n(r, w, "warmup", "seconds"))));
        row(md, "JIT settle after the warm-up (open loop, 10 s rounds)", workloads, w -> {
            Object settled = value(r, "ingestion", w, "jit_settle", "settled");
            Double seconds = n(r, w, "jit_settle", "seconds");
            return settled == null ? "-" : String.format("%s in %.0f s", Boolean.TRUE.equals(settled) ? "settled"
                    : "not settled", seconds);
        });
        row(md, "PostgreSQL CPU cores at max (Java client)", workloads, w -> f2(n(r, w, "max_throughput", "usage",
                "postgres_cpu_cores")));
        row(md, "load generator CPU cores at max (Java client)", workloads, w -> f2(n(r, w, "max_throughput", "usage",
                "load_generator_cpu_cores")));
        row(md, "events per webhook", workloads, w -> f2(n(r, w, "store", "events_per_webhook")));
        row(md, "event-store bytes per webhook (domainevententry + receipt)", workloads,
                w -> f0(n(r, w, "store", "event_store_bytes_per_webhook")));
        row(md, "of which events / receipts (raw body, hash, indexes)", workloads, w -> String.format("%s / %s",
                f0(n(r, w, "store", "domainevententry_bytes_per_webhook")),
                f0(n(r, w, "store", "receipt_bytes_per_webhook"))));
        row(md, "outcomes (the Java client's runs of the workload)", workloads, w -> outcomes(r, w));
        md.append("\n");
        md.append("Maximum throughput is measured twice per workload, same length and connections, read models caught"
                + " up between: with the bench's Java client (JDK HttpClient, one sender thread per connection) and"
                + " with wrk (C, ").append(config.concurrency()).append(" connections on 2 or cpus threads, deliveries"
                + " rendered and signed before the part; `wrk-<workload>-max.log`). Why two: the Java client's own CPU"
                + " (row above) competes with the service on this machine, while wrk is what the"
                + " issue's figures used and, like pgbench, costs little. The targets take the higher rate with 0"
                + " failed, the headline max, and the constant-rate run is at ")
                .append(Math.round(config.rateFraction() * 100)).append("% of it.\n\n");
        for (String w : workloads) {
            Object byFixture = value(r, "ingestion", w, "max_throughput", "latency_ms_by_fixture");
            if (byFixture instanceof Map<?, ?> fixtures) {
                md.append("Workload ").append(w).append(" at maximum throughput, per fixture:\n\n")
                        .append("| fixture | webhooks | p50 | p99 |\n|---|---|---|---|\n");
                fixtures.forEach((k, v) -> {
                    Map<?, ?> h = (Map<?, ?>) v;
                    md.append("| ").append(k).append(" | ").append(h.get("count")).append(" | ")
                            .append(f1((Double) h.get("p50"))).append(" ms | ").append(f1((Double) h.get("p99")))
                            .append(" ms |\n");
                });
                md.append("\n");
            }
        }
        if (tps != null) {
            md.append(String.format("pgbench on the same server: **%.0f TPS** (one ~%s-byte JSON row per transaction, %s"
                            + " clients, %s threads, %s s, prepared), latency average %.1f ms, %s failed; PostgreSQL CPU"
                            + " %.2f cores.%n%n", tps, text(r, "pgbench", "row_bytes"), text(r, "pgbench", "clients"),
                    text(r, "pgbench", "threads"), text(r, "pgbench", "seconds"),
                    number(r, "pgbench", "latency_average_ms"), text(r, "pgbench", "failed_transactions"),
                    number(r, "pgbench", "postgres_cpu_cores")));
        }
        Double floorGroup = number(r, "floor", "group_commit", "deliveries_per_second");
        if (floorGroup != null) {
            md.append(String.format("Floor (bench/…/Floor.java: one receipt row + one event row per delivery, the ledger's"
                            + " own tables and indexes, plain JDBC, %s senders, %s s): group commit **%.0f deliveries/s**"
                            + " (p99 %.1f ms, %.1f per commit, PostgreSQL %.2f ms CPU per delivery); one commit per"
                            + " delivery %.0f/s (p99 %.1f ms, PostgreSQL %.2f ms CPU per delivery).%n%n",
                    text(r, "floor", "senders"), text(r, "floor", "seconds"), floorGroup,
                    number(r, "floor", "group_commit", "p99_ms"), number(r, "floor", "group_commit", "deliveries_per_commit"),
                    number(r, "floor", "group_commit", "postgres_cpu_ms_per_delivery"),
                    number(r, "floor", "per_delivery", "deliveries_per_second"), number(r, "floor", "per_delivery", "p99_ms"),
                    number(r, "floor", "per_delivery", "postgres_cpu_ms_per_delivery")));
        }
        Double rss = number(r, "service", "peak_rss_bytes");
        if (rss != null) {
            md.append(String.format("Service: peak RSS (VmHWM) %.0f MiB; started in %.1f s.%n%n", rss / (1 << 20),
                    number(r, "service", "start_seconds")));
        }
        if (value(r, "signed") != null) {
            signed(md, r, signed);
        }

        if (value(r, "million") != null) {
            md.append("## With ").append(String.format("%,d", config.eventsTarget())).append(" events\n\n");
            md.append("| | |\n|---|---|\n");
            md.append("| events in the store | ").append(f0c(number(r, "million", "events_in_store")))
                    .append(Boolean.FALSE.equals(value(r, "million", "target_reached")) ? " (target not reached)" : "")
                    .append(" |\n");
            md.append("| fill rate (closed loop, report-day slips / mix) | ")
                    .append(f0(number(r, "million", "fill_report_day", "acknowledged_per_second"))).append(" / ")
                    .append(f0(number(r, "million", "fill_mix", "acknowledged_per_second"))).append(" webhooks/s |\n");
            md.append("| rebuild of all read models | ").append(text(r, "million", "rebuild", "state")).append(", ")
                    .append(f0c(number(r, "million", "rebuild", "events_replayed"))).append(" events, ")
                    .append(f0c(number(r, "million", "rebuild", "events_per_second"))).append(" events/s, ")
                    .append(f1(number(r, "million", "rebuild", "wall_seconds"))).append(" s wall |\n");
            md.append("| history read p50 / p99 / p99.9 | ")
                    .append(triple(r, null, "history", "latency_ms", "p50", "p99", "p99_9")).append(" |\n");
            md.append("| asOf read p50 / p99 / p99.9 | ")
                    .append(triple(r, null, "as_of", "latency_ms", "p50", "p99", "p99_9")).append(" |\n");
            md.append("| disk read by the machine during the measured history / asOf reads | ")
                    .append(f0c(number(r, "million", "history", "machine_disk_read_kib"))).append(" / ")
                    .append(f0c(number(r, "million", "as_of", "machine_disk_read_kib"))).append(" KiB |\n");
            for (String[] kind : new String[][] {{"history", "history"}, {"as_of", "asOf"}}) {
                Object settled = value(r, "million", kind[0], "jit_settle", "settled");
                if (settled != null) {
                    md.append("| ").append(kind[1]).append(" warm-up before the measured reads (10 s rounds) | ")
                            .append(Boolean.TRUE.equals(settled) ? "JIT settled" : "JIT NOT settled").append(" after ")
                            .append(f0(number(r, "million", kind[0], "jit_settle", "seconds"))).append(" s, ")
                            .append(f0c(number(r, "million", kind[0], "jit_settle", "reads"))).append(" reads; p99 per round ")
                            .append(value(r, "million", kind[0], "jit_settle", "p99_ms_per_round")).append(" ms |\n");
                }
            }
            Object available = value(r, "million", "reconciliation_report", "available");
            md.append("| reconciliation report, ").append(config.reportDay()).append(" (")
                    .append(f0c(number(r, "million", "report_day_slips_applied"))).append(" slips) | ")
                    .append(Boolean.FALSE.equals(available) ? "not available (HTTP "
                            + text(r, "million", "reconciliation_report", "status") + ")"
                            : "first " + f2(number(r, "million", "reconciliation_report", "seconds_first"))
                            + " s, best " + f2(number(r, "million", "reconciliation_report", "seconds_best")) + " s")
                    .append(" |\n\n");
        }

        md.append("## Targets (issue 6; the signed path: issue 20)\n\n| target | value | status | note |\n|---|---|---|---|\n");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> targets = (List<Map<String, Object>>) r.get("targets");
        for (Map<String, Object> t : targets) {
            md.append("| ").append(t.get("target")).append(" | ").append(t.get("value")).append(" | **")
                    .append(t.get("status")).append("** | ").append(t.getOrDefault("note", "")).append(" |\n");
        }
        @SuppressWarnings("unchecked")
        List<String> errors = (List<String>) r.get("errors");
        if (errors != null && !errors.isEmpty()) {
            md.append("\n## Errors\n\n");
            errors.forEach(e -> md.append("- ").append(e.replace("\n", " ")).append("\n"));
        }
        return md.toString();
    }

    /** The signed phase (issue 20): how it ran, OpenSSL's rate, the 401s; its figures are the table's column {@code w}. */
    private static void signed(StringBuilder md, Map<String, Object> r, String w) {
        md.append("Signed path (issue 20, column ").append(w).append("): the service started again on a fresh data folder"
                + " with `--ledger.webhook.auth=qitech-es512` (a fresh P-521 key pair, `signed-public-key.pem`; ES512 JWT"
                + " in `AUTHORIZATION` and `API-CLIENT-KEY`), its other arguments as above; the deliveries were signed"
                + " before each part, not during it, by ").append(text(r, "signed", "signing_provider"));
        Object parts = value(r, "signed", "presigned_parts");
        if (parts instanceof List<?> list && !list.isEmpty()) {
            Map<?, ?> largest = (Map<?, ?>) list.stream().max(java.util.Comparator.comparingDouble(
                    p -> ((Number) ((Map<?, ?>) p).get("requests")).doubleValue())).get();
            md.append(String.format("; largest part: %s in %.1f s, %.0f/s on %s threads", largest.get("requests"),
                    ((Number) largest.get("signing_seconds")).doubleValue(),
                    ((Number) largest.get("signed_per_second")).doubleValue(), largest.get("threads")));
        }
        md.append(".");
        Object cap = value(r, "ingestion", w, "max_throughput", "presigned_cap");
        if (cap != null) {
            md.append(" The max run had ").append(cap).append(" pre-signed deliveries (BENCH_SIGNED_CAP_RATE x its"
                    + " seconds) and ").append(Boolean.TRUE.equals(value(r, "ingestion", w, "max_throughput",
                    "presigned_cap_reached")) ? "**used them all** (it stopped at the cap, before its time)"
                    : "did not reach that cap").append(".");
        }
        Object wrkCap = value(r, "ingestion", w, "max_throughput_wrk", "presigned_cap");
        if (wrkCap != null) {
            md.append(" The wrk max run had ").append(wrkCap).append(" and ").append(Boolean.TRUE.equals(value(r,
                    "ingestion", w, "max_throughput_wrk", "presigned_cap_reached"))
                    ? "**used them all** (its threads stopped at the cap, before its time)" : "did not reach that cap")
                    .append("; its ").append(text(r, "ingestion", w, "max_throughput_wrk", "failures", "non_2xx"))
                    .append(" non-2xx answers are not told apart by status (a 401 among them counts as failed).");
        }
        md.append("\n\n");
        if (Boolean.TRUE.equals(value(r, "signed", "openssl", "available"))) {
            double verify = number(r, "signed", "openssl", "verifies_per_second");
            double cores = number(r, "signed", "cores");
            md.append(String.format("OpenSSL's P-521 rate in this run (%s, `%s`, one thread, per CPU second):"
                            + " **%.0f verifies/s**, %.0f signs/s; x %.0f cores = %.0f verifies/s, so the target"
                            + " (0.5 x) is %.0f and the floor (0.25 x) %.0f signed webhooks/s.%n%n",
                    text(r, "signed", "openssl", "version"), text(r, "signed", "openssl", "command"), verify,
                    number(r, "signed", "openssl", "signs_per_second"), cores, verify * cores,
                    Targets.SIGNED_TARGET * verify * cores, Targets.SIGNED_FLOOR * verify * cores));
        } else {
            md.append("OpenSSL's P-521 rate: N/A (").append(text(r, "signed", "openssl", "reason")).append(").\n\n");
        }
        List<String> refused = new java.util.ArrayList<>();
        for (String run : Targets.SIGNED_RUNS) {
            refused.add(run.replace('_', ' ') + " " + Targets.failures(r, w, run, "HTTP 401"));
        }
        md.append("HTTP 401 answers of the signed service (a 401 means the bench signed wrongly): ")
                .append(String.join(", ", refused)).append(".");
        Double rss = number(r, "signed", "service", "peak_rss_bytes");
        if (rss != null) {
            md.append(String.format(" Signed service: peak RSS (VmHWM) %.0f MiB; started in %.1f s.", rss / (1 << 20),
                    number(r, "signed", "service", "start_seconds")));
        }
        md.append("\n\n");
    }

    private interface Cell {
        String of(String workload);
    }

    private static void row(StringBuilder md, String label, List<String> workloads, Cell cell) {
        md.append("| ").append(label).append(" |");
        for (String w : workloads) {
            String v;
            try {
                v = cell.of(w);
            } catch (RuntimeException e) {
                v = "-";
            }
            md.append(" ").append(v).append(" |");
        }
        md.append("\n");
    }

    private static Double n(Map<String, Object> r, String workload, String... path) {
        String[] full = new String[path.length + 2];
        full[0] = "ingestion";
        full[1] = workload;
        System.arraycopy(path, 0, full, 2, path.length);
        return number(r, full);
    }

    private static String triple(Map<String, Object> r, String workload, String run, String hist, String a, String b,
                                 String c) {
        String[] root = workload == null ? new String[] {"million", run, hist} : new String[] {"ingestion", workload,
                run, hist};
        StringBuilder s = new StringBuilder();
        for (String p : c == null ? new String[] {a, b} : new String[] {a, b, c}) {
            String[] path = java.util.Arrays.copyOf(root, root.length + 1);
            path[root.length] = p;
            Double v = number(r, path);
            if (s.length() > 0) {
                s.append(" / ");
            }
            s.append(v == null ? "-" : String.format("%.1f", v));
        }
        return s + " ms";
    }

    @SuppressWarnings("unchecked")
    private static String outcomes(Map<String, Object> r, String w) {
        long applied = 0;
        long duplicate = 0;
        long quarantined = 0;
        for (String run : new String[] {"warmup", "max_throughput", "constant_rate"}) {
            Object o = value(r, "ingestion", w, run, "outcomes");
            if (o instanceof Map<?, ?> m) {
                applied += ((Map<String, Number>) m).getOrDefault("applied", 0).longValue();
                duplicate += ((Map<String, Number>) m).getOrDefault("duplicate", 0).longValue();
                quarantined += ((Map<String, Number>) m).getOrDefault("quarantined", 0).longValue();
            }
        }
        return String.format("%d applied, %d duplicate, %d quarantined", applied, duplicate, quarantined);
    }

    /** (service + PostgreSQL CPU seconds) per acknowledged webhook of one part, in ms. */
    private static String cpuPerWebhook(Map<String, Object> r, String w, String part) {
        Double service = n(r, w, part, "usage", "service_cpu_cores");
        Double postgres = n(r, w, part, "usage", "postgres_cpu_cores");
        Double rate = n(r, w, part, "acknowledged_per_second");
        return service == null || postgres == null || rate == null || rate <= 0 ? "-"
                : String.format("%.2f", (service + postgres) / rate * 1000);
    }

    private static String shortVersion(String v) {
        if (v == null) {
            return "?";
        }
        int comma = v.indexOf(" on ");
        return comma > 0 ? v.substring(0, comma) : v;
    }

    static String f0(Double v) {
        return v == null ? "-" : String.format("%.0f", v);
    }

    static String f0c(Double v) {
        return v == null ? "-" : String.format("%,.0f", v);
    }

    static String f1(Double v) {
        return v == null ? "-" : String.format("%.1f", v);
    }

    static String f2(Double v) {
        return v == null ? "-" : String.format("%.2f", v);
    }

    private Report() {
    }
}
