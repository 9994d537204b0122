package com.qiledger.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The targets of issue 6, each judged PASS, MISS or N/A (not measured in this run) from the results. */
final class Targets {

    static final double RATIO = 0.5;
    static final double FLOOR_RATIO = 0.25;
    static final double ACK_P99_MS = 50;
    /** The p99 at maximum throughput (64 connections), judged on the headline maximum. */
    static final double MAX_P99_MS = 100;
    static final double LAG_P99_MS = 250;
    static final double REBUILD_EVENTS_PER_SECOND = 20_000;
    static final double READ_P99_MS = 20;
    static final double REPORT_SECONDS = 2;
    static final long RSS_BYTES = 1L << 30;
    /** Issue 20: signed acked webhooks/s against OpenSSL's single-thread P-521 verify rate times the cores. */
    static final double SIGNED_TARGET = 0.5;
    static final double SIGNED_FLOOR = 0.25;

    static List<Map<String, Object>> evaluate(Map<String, Object> results, Config config) {
        List<Map<String, Object>> out = new ArrayList<>();
        Double tps = number(results, "pgbench", "tps");
        for (String w : config.workloads()) {
            String base = "[" + w + "] ";
            Map<String, Object> head = headline(results, w);
            Double rate = head == null ? null : (Double) head.get("acknowledged_per_second");
            Double failedMax = head == null ? null : number(head, "failed");
            Double failedRate = number(results, "ingestion", w, "constant_rate", "failed");
            long failed = (long) ((failedMax == null ? 0 : failedMax) + (failedRate == null ? 0 : failedRate));
            String from = head == null ? null : headlineNote(head);
            for (double share : new double[] {RATIO, FLOOR_RATIO}) {
                String name = base + "acknowledged rate >= " + share + " x pgbench TPS" + (share == FLOOR_RATIO
                        ? " (floor)" : "") + ", 0 failed";
                if (rate == null || tps == null) {
                    out.add(target(name, "-", null, rate == null ? "ingestion not measured" : "pgbench not measured"));
                } else {
                    double ratio = rate / tps;
                    out.add(target(name, String.format("%.0f/s / %.0f TPS = %.3f, %d failed", rate, tps, ratio, failed),
                            ratio >= share && failed == 0, from));
                }
            }
            Double p99Max = head == null ? null : number(head, "p99_ms");
            out.add(target(base + "p99 acknowledgement <= 100 ms at max throughput (" + config.concurrency()
                            + " connections)", fmtMs(p99Max), p99Max == null ? null : p99Max <= MAX_P99_MS,
                    p99Max == null ? "not measured" : from));
            Double p99 = number(results, "ingestion", w, "constant_rate", "latency_from_intended_start_ms", "p99");
            out.add(target(base + "p99 acknowledgement <= 50 ms at 50% of max", fmtMs(p99),
                    p99 == null ? null : p99 <= ACK_P99_MS, p99 == null ? "not measured"
                            : config.rate() > 0 ? "at a fixed BENCH_RATE, not 50% of max" : null));
            Double lag = number(results, "ingestion", w, "constant_rate", "projection_lag_ms", "p99");
            Double lagFailures = number(results, "ingestion", w, "constant_rate", "projection_lag_ms", "failures");
            out.add(target(base + "projection lag p99 <= 250 ms at that rate",
                    fmtMs(lag) + (lagFailures != null && lagFailures > 0 ? ", " + lagFailures.longValue()
                            + " probes never answered" : ""),
                    lag == null ? null : lag <= LAG_P99_MS && (lagFailures == null || lagFailures == 0),
                    lag == null ? "not measured" : null));
        }
        signed(results, config, out);
        Double events = number(results, "million", "events_in_store");
        String at = events == null ? null : events < config.eventsTarget() || events < 1_000_000
                ? String.format("at %,.0f events, not 1,000,000", events) : null;
        Double rebuild = number(results, "million", "rebuild", "events_per_second");
        String rebuildState = text(results, "million", "rebuild", "state");
        out.add(target("rebuild >= 20,000 events/s", rebuild == null ? "-" : String.format("%,.0f events/s", rebuild),
                rebuild == null || !"done".equals(rebuildState) ? null : rebuild >= REBUILD_EVENTS_PER_SECOND,
                rebuild == null ? "not measured" : !"done".equals(rebuildState) ? "rebuild " + rebuildState : at));
        for (String[] read : new String[][] {{"history", "history"}, {"as_of", "asOf"}}) {
            Double p = number(results, "million", read[0], "latency_ms", "p99");
            out.add(target(read[1] + " read p99 <= 20 ms", fmtMs(p), p == null ? null : p <= READ_P99_MS,
                    p == null ? "not measured" : at));
        }
        Object available = value(results, "million", "reconciliation_report", "available");
        Double report = number(results, "million", "reconciliation_report", "seconds_first");
        Double slips = number(results, "million", "report_day_slips_applied");
        String slipsNote = slips == null ? null : slips < 100_000
                ? String.format("a day with %,.0f slips, not 100,000", slips) : null;
        if (Boolean.FALSE.equals(available)) {
            out.add(target("reconciliation report (a day, 100,000 slips) <= 2 s", "not available", null,
                    "endpoint answered " + value(results, "million", "reconciliation_report", "status")));
        } else {
            out.add(target("reconciliation report (a day, 100,000 slips) <= 2 s",
                    report == null ? "-" : String.format("%.2f s", report),
                    report == null ? null : report <= REPORT_SECONDS, report == null ? "not measured" : slipsNote));
        }
        Double rss = number(results, "service", "peak_rss_bytes");
        out.add(target("service RSS <= 1 GiB", rss == null ? "-" : String.format("%.0f MiB", rss / (1 << 20)),
                rss == null ? null : rss <= RSS_BYTES, rss == null ? "not measured" : "peak (VmHWM) over the whole run"));
        return out;
    }

    /**
     * The signed path (issue 20): the signed service's acknowledged rate at maximum throughput against
     * {@code 0.5} (target) and {@code 0.25} (floor) x cores x OpenSSL's verify rate, both measured in this run.
     */
    private static void signed(Map<String, Object> results, Config config, List<Map<String, Object>> out) {
        String w = text(results, "signed", "workload");
        Map<String, Object> head = w == null ? null : headline(results, w);
        Double rate = head == null ? null : (Double) head.get("acknowledged_per_second");
        Double verify = number(results, "signed", "openssl", "verifies_per_second");
        Double cores = number(results, "signed", "cores");
        long failed = (head == null ? 0 : number(head, "failed").longValue()) + failed(results, w, "constant_rate");
        long refused = 0;
        for (String run : SIGNED_RUNS) {
            refused += failures(results, w, run, "HTTP 401");
        }
        String refusedNote = refused > 0 ? refused + " answers 401 (the signature was refused: the bench signed wrongly)"
                : null;
        for (double share : new double[] {SIGNED_TARGET, SIGNED_FLOOR}) {
            String name = String.format("signed acked webhooks/s >= %s x cores x openssl verify/s%s, 0 failed",
                    share, share == SIGNED_FLOOR ? " (floor)" : "");
            if (rate == null) {
                out.add(target(name, "-", null, !config.signed() ? "not measured (BENCH_SIGNED=0)" : "not measured"));
            } else if (verify == null || cores == null) {
                out.add(target(name, String.format("%.0f/s, %d failed", rate, failed), null,
                        "OpenSSL's rate not available: " + text(results, "signed", "openssl", "reason")
                                + (refusedNote == null ? "" : "; " + refusedNote)));
            } else {
                double needed = share * cores * verify;
                String note = headlineNote(head) + (refusedNote == null ? "" : "; " + refusedNote);
                out.add(target(name, String.format("%.0f/s vs %s x %.0f x %.0f = %.0f/s, %d failed", rate, share, cores,
                                verify, needed, failed),
                        rate >= needed && failed == 0, note));
            }
        }
    }

    /** The maximum-throughput parts of a workload, and the generator that drove each. */
    static final String[][] MAX_PARTS = {{"max_throughput", "Java client"}, {"max_throughput_wrk", "wrk"}};

    static Map<String, Object> headline(Map<String, Object> results, String workload) {
        Object w = value(results, "ingestion", workload);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = w instanceof Map<?, ?> ? (Map<String, Object>) w : null;
        return m == null ? null : headline(m);
    }

    /**
     * The headline maximum of one workload's figures {@code w}: the higher acknowledged rate of its
     * maximum-throughput parts (Java client, wrk) among those with 0 failed (of all of them when every
     * one failed some), with which generator, its p99 and failures; null when none ran.
     */
    static Map<String, Object> headline(Map<String, Object> w) {
        Map<String, Object> best = null;
        boolean bestClean = false;
        Map<String, Object> rates = new LinkedHashMap<>();
        for (String[] part : MAX_PARTS) {
            Double rate = number(w, part[0], "acknowledged_per_second");
            if (rate == null) {
                continue;
            }
            rates.put(part[1], rate);
            Double failed = number(w, part[0], "failed");
            boolean clean = failed == null || failed == 0;
            if (best == null || clean && !bestClean
                    || clean == bestClean && rate > (Double) best.get("acknowledged_per_second")) {
                best = new LinkedHashMap<>();
                best.put("generator", part[1]);
                best.put("part", part[0]);
                best.put("acknowledged_per_second", rate);
                best.put("p99_ms", number(w, part[0], "latency_ms", "p99"));
                best.put("failed", failed == null ? 0L : failed.longValue());
                Object capReached = value(w, part[0], "presigned_cap_reached");
                if (capReached == null) {
                    capReached = value(w, part[0], "cap_reached"); // wrk's pre-rendered deliveries
                }
                if (capReached != null) {
                    best.put("cap_reached", capReached);
                }
                bestClean = clean;
            }
        }
        if (best != null) {
            best.put("acknowledged_per_second_by_generator", rates);
        }
        return best;
    }

    /** Which generator a headline maximum came from, and the other's rate, for a target's note. */
    static String headlineNote(Map<String, Object> head) {
        StringBuilder s = new StringBuilder("headline max from " + head.get("generator"));
        Object rates = head.get("acknowledged_per_second_by_generator");
        if (rates instanceof Map<?, ?> m && m.size() > 1) {
            List<String> each = new ArrayList<>();
            m.forEach((k, v) -> each.add(String.format("%s %.0f/s", k, ((Number) v).doubleValue())));
            s.append(" (").append(String.join(", ", each)).append(")");
        }
        if (Boolean.TRUE.equals(head.get("cap_reached"))) {
            s.append("; it stopped at its cap of pre-made deliveries, so its rate is a lower bound");
        }
        return s.toString();
    }

    /** The signed workload's runs whose answers are counted, in order. */
    static final String[] SIGNED_RUNS = {"warmup", "jit_settle", "max_throughput", "constant_rate"};

    /** How many requests of one run of a workload failed in this way ({@code HTTP 401}, {@code timeout}, ...). */
    static long failures(Map<String, Object> results, String workload, String run, String why) {
        Double n = number(results, "ingestion", workload, run, "failures", why);
        return n == null ? 0 : n.longValue();
    }

    private static long failed(Map<String, Object> results, String workload, String run) {
        Double n = number(results, "ingestion", workload, run, "failed");
        return n == null ? 0 : n.longValue();
    }

    private static Map<String, Object> target(String name, String value, Boolean pass, String note) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", name);
        m.put("value", value);
        m.put("status", pass == null ? "N/A" : pass ? "PASS" : "MISS");
        if (note != null) {
            m.put("note", note);
        }
        return m;
    }

    static String fmtMs(Double v) {
        return v == null ? "-" : String.format("%.1f ms", v);
    }

    static Object value(Map<String, Object> root, String... path) {
        Object o = root;
        for (String p : path) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            o = m.get(p);
        }
        return o;
    }

    static Double number(Map<String, Object> root, String... path) {
        Object o = value(root, path);
        if (o instanceof Number n && !Double.isNaN(n.doubleValue())) {
            return n.doubleValue();
        }
        return null;
    }

    static String text(Map<String, Object> root, String... path) {
        Object o = value(root, path);
        return o == null ? null : o.toString();
    }

    private Targets() {
    }
}
