package com.qiledger.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's own limit on this machine: {@code pgbench} against the service's own embedded server
 * (same binaries, same settings: fsync on, default synchronous_commit), each transaction one INSERT
 * of a ~700-byte JSON document (a bank-slip webhook's shape) into a scratch table, at the same
 * concurrency as the senders. The scratch table lives in a database of its own ({@code bench_pgbench},
 * dropped afterwards) so the ledger's schema is untouched: the service treats every other table in
 * its {@code public} schema as a read model (the rebuild and {@code asOf} copy them).
 */
final class PgBench {

    static final String DATABASE = "bench_pgbench";
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");
    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

    static Map<String, Object> run(Service service, Config config, Path resultsDir) throws IOException, SQLException,
            InterruptedException {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Connection c = service.jdbc("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        try (Connection c = service.jdbc(DATABASE); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE scratch (id BIGSERIAL PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),"
                    + " body JSONB NOT NULL)");
            try (ResultSet rs = s.executeQuery("SHOW fsync")) {
                rs.next();
                out.put("fsync", rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
                rs.next();
                out.put("synchronous_commit", rs.getString(1));
            }
        }
        String document = document(config.pgbenchRowBytes());
        Path script = resultsDir.resolve("pgbench-insert.sql");
        Files.writeString(script, "\\set k random(1, 2000000000)\n"
                + "INSERT INTO scratch (body) VALUES (('" + document.replace("\"KEY\"", "\"' || :k || '\"")
                + "')::jsonb);\n");
        List<String> command = new ArrayList<>(List.of(config.pgbenchCommand(),
                "-h", "127.0.0.1", "-p", Integer.toString(service.postgresPort()), "-U", service.postgresUser(),
                "-n", "-M", "prepared",
                "-c", Integer.toString(config.pgbenchClients()),
                "-j", Integer.toString(config.pgbenchThreads()),
                "-T", Long.toString(config.maxDuration().toSeconds()),
                "-P", "10",
                "-f", script.toString(),
                DATABASE));
        Path log = resultsDir.resolve("pgbench.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PGPASSWORD", service.postgresPassword());
        System.out.println("    " + String.join(" ", command));
        Set<Long> pidsBefore = service.postgresPids();
        double cpuBefore = service.postgresCpuSeconds();
        long started = System.nanoTime();
        Process p = builder.start();
        if (!p.waitFor(config.maxDuration().toSeconds() + 120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("pgbench did not finish; see " + log);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        String text = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("pgbench exited with " + p.exitValue() + ":\n" + text);
        }
        out.put("command", String.join(" ", command));
        out.put("row_bytes", document.length());
        out.put("clients", config.pgbenchClients());
        out.put("threads", config.pgbenchThreads());
        out.put("seconds", config.maxDuration().toSeconds());
        out.put("tps", Double.parseDouble(find(TPS, text, "tps")));
        out.put("latency_average_ms", Double.parseDouble(find(LATENCY, text, "latency")));
        out.put("transactions", Long.parseLong(find(PROCESSED, text, "processed")));
        Matcher failed = FAILED.matcher(text);
        out.put("failed_transactions", failed.find() ? Long.parseLong(failed.group(1)) : 0L);
        // its backends' CPU is the postmaster's only once they have ended and been reaped
        int unreaped = service.awaitEnded(pidsBefore, Duration.ofSeconds(10));
        out.put("postgres_cpu_cores", (service.postgresCpuSeconds() - cpuBefore) / wall);
        out.put("postgres_processes_not_ended", unreaped);
        try (Connection c = service.jdbc(DATABASE); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT avg(octet_length(body::text)) FROM scratch")) {
            rs.next();
            out.put("stored_json_bytes_avg", Math.round(rs.getDouble(1)));
        }
        try (Connection c = service.jdbc("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
        return out;
    }

    /** A JSON document of about {@code bytes} bytes shaped like a paid bank-slip webhook, key varying. */
    static String document(int bytes) {
        StringBuilder d = new StringBuilder("{\"key\":\"KEY\",\"status\":\"paid\",\"webhook_type\":\"bank_slip.status_change\","
                + "\"event_datetime\":\"2023-01-10 14:08:46\",\"data\":{\"agent_type\":\"system\",\"our_number\":69993012,"
                + "\"origin_type\":\"qr_code\",\"paid_amount\":551.5,\"payment_bank\":\"329\",\"payment_branch\":\"0001\","
                + "\"payment_method\":\"2\",\"payment_origin\":\"901\",\"discount_amount\":0.0,"
                + "\"occurrence_type\":\"payment\",\"payment_account\":\"1727560-2\",\"payment_bank_ispb\":\"32402502\","
                + "\"occurrence_reasons\":[289],\"occurrence_sequence\":\"0\",\"payment_credit_date\":\"2023-01-10\","
                + "\"paid_in\":{\"name\":\"QI TECH\",\"code_number\":\"329\",\"ispb\":\"32402502\"},"
                + "\"paid_interest_amount\":0.0,\"requester_profile_code\":\"329-01-0001-0000002\","
                + "\"registration_institution\":\"qi_scd\",\"note\":\"");
        // The key becomes a number of up to 10 digits in place of "KEY"; pad to the wanted size.
        int fixed = d.length() + 4 + 7;
        d.append("x".repeat(Math.max(0, bytes - fixed)));
        d.append("\"}}");
        return d.toString();
    }

    private static String find(Pattern pattern, String text, String what) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("pgbench output has no " + what + " line:\n" + text);
        }
        return m.group(1);
    }

    static String version(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return v;
        } catch (IOException e) {
            return "not found (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private PgBench() {
    }
}
