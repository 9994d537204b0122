package com.qiledger.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the figures ran on: the README table names it, and a noisy machine shows in the load average. */
final class Machine {

    static Map<String, Object> describe(Config config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpu_model", procLine("/proc/cpuinfo", "model name"));
        String mem = procLine("/proc/meminfo", "MemTotal");
        m.put("memory", mem == null ? null : String.format("%.1f GiB",
                Long.parseLong(mem.replace("kB", "").strip()) / 1024.0 / 1024.0));
        m.put("kernel", read("/proc/sys/kernel/osrelease"));
        m.put("os", osRelease());
        m.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        m.put("pgbench", config.pgbench() ? PgBench.version(config.pgbenchCommand()) : "not used");
        m.put("load_average_at_start", loadAverage());
        m.put("git_commit", command(config.repo(), "git", "rev-parse", "--short", "HEAD"));
        String dirty = command(config.repo(), "git", "status", "--porcelain", "--untracked-files=no");
        m.put("git_dirty", dirty != null && !dirty.isBlank());
        return m;
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        String l = read("/proc/loadavg");
        if (l == null) {
            return null;
        }
        String[] f = l.split("\\s+");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : l;
    }

    /**
     * The counters of {@code /proc/vmstat} (among them {@code pgpgin}: KiB read from storage by the whole
     * machine; {@code workingset_refault_file}: page-cache pages read again after being evicted); empty
     * when unreadable.
     */
    static Map<String, Long> vmstat() {
        Map<String, Long> counters = new java.util.HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/vmstat"))) {
                String[] f = line.split(" ");
                if (f.length == 2) {
                    counters.put(f[0], Long.parseLong(f[1]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Map.of();
        }
        return counters;
    }

    /** How much a {@link #vmstat} counter grew between two readings; -1 when either lacks it. */
    static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
        Long from = before.get(key);
        Long to = after.get(key);
        return from == null || to == null ? -1 : to - from;
    }

    private static String procLine(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static String osRelease() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static String command(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private Machine() {
    }
}
