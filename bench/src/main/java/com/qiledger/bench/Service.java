package com.qiledger.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The service under test: the packaged jar, started on a fresh embedded database in a new temporary
 * folder and a free port, exactly as the README runs it (with the CDS archive when present), fsync on.
 * Also reads the process's CPU time and memory from {@code /proc}, and the embedded PostgreSQL's port
 * and credentials from the data folder (see {@code EmbeddedPostgres}: {@code <data-dir>/credentials},
 * {@code <data-dir>/pgdata/postmaster.pid}, line 4 the port; database and user {@code ledger}).
 */
final class Service implements AutoCloseable {

    static final String DATABASE = "ledger";

    private final Process process;
    private final Path dataDir;
    private final int port;
    private final Path log;
    private final boolean keepData;
    private final long clockTicks;

    private Service(Process process, Path dataDir, int port, Path log, boolean keepData, long clockTicks) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
        this.log = log;
        this.keepData = keepData;
        this.clockTicks = clockTicks;
    }

    /** How the unsigned benchmark starts the service: deliveries are not authenticated. */
    static final List<String> UNSIGNED = List.of("--ledger.webhook.auth=none");

    /**
     * Starts the service; {@code webhookAuth}: its webhook-authentication arguments ({@link #UNSIGNED},
     * or the signed phase's, {@link Signing#serviceArguments}). {@code log} is its output; the embedded
     * PostgreSQL's log is copied beside it at the end, named alike ({@code service-signed.log}:
     * {@code postgres-signed.log}).
     */
    static Service start(Config config, Path log, List<String> webhookAuth) throws IOException {
        Path jar = config.repo().resolve("api/target/app/qi-ledger.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw -q -B -DskipTests package");
        }
        Files.createDirectories(config.workDir());
        Path dataDir = Files.createTempDirectory(config.workDir(), "qi-ledger-bench-data-");
        // As root the embedded PostgreSQL runs as nobody, which must be able to enter the folder.
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // as the README runs it: the heap bound keeps the service's RSS under the 1 GiB target
        command.add("-Xmx512m");
        for (String opt : config.serviceJavaOpts().trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                command.add(opt);
            }
        }
        Path jsa = config.repo().resolve("api/target/app/qi-ledger.jsa");
        if (Files.isRegularFile(jsa)) {
            command.add("-XX:SharedArchiveFile=" + jsa);
        }
        command.addAll(List.of("-jar", jar.toString(),
                "--ledger.data-dir=" + dataDir,
                "--server.port=" + port,
                "--ledger.embedded.binaries-dir=" + config.pgBinaries()));
        command.addAll(webhookAuth);
        command.addAll(List.of(
                "--ledger.security.tokens.auditor=" + Http.AUDITOR,
                "--ledger.security.tokens.finance=" + Http.FINANCE,
                "--ledger.security.tokens.operator=" + Http.OPERATOR));
        Process process = new ProcessBuilder(command)
                .directory(config.repo().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Service service = new Service(process, dataDir, port, log, config.keepData(), config.clockTicks());
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "stop-service"));
        return service;
    }

    /** Waits for {@code /actuator/health} to answer UP. */
    void awaitHealthy(Http http, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with code " + process.exitValue()
                        + " during start-up; last lines of " + log + ":\n" + tail(log, 40));
            }
            Http.Answer answer = http.get("/actuator/health", null, Duration.ofSeconds(2));
            if (answer.status() == 200 && new String(answer.body(), StandardCharsets.UTF_8).contains("\"UP\"")) {
                return;
            }
            sleep(250);
        }
        throw new IllegalStateException("the service was not healthy within " + timeout + "; see " + log);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path dataDir() {
        return dataDir;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** CPU seconds (user + system) the service JVM has used so far. */
    double cpuSeconds() {
        return ticks(pid(), false) / (double) clockTicks;
    }

    /**
     * CPU seconds the service JVM's JIT compiler threads ({@code C1 CompilerThread*},
     * {@code C2 CompilerThread*}) have used so far, read per thread from {@code /proc/<pid>/task}.
     */
    double jitCpuSeconds() {
        long total = 0;
        Path tasks = Path.of("/proc", Long.toString(pid()), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path task : threads.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
                        total += ticks(task.resolve("stat"));
                    }
                } catch (IOException | RuntimeException e) {
                    // thread gone
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total / (double) clockTicks;
    }

    /**
     * CPU seconds of the embedded PostgreSQL: every live process under the service (postmaster and
     * backends) plus what the postmaster's ended children used.
     */
    double postgresCpuSeconds() {
        long total = 0;
        for (ProcessHandle child : process.toHandle().descendants().toList()) {
            total += ticks(child.pid(), false);
            if (process.toHandle().children().anyMatch(c -> c.pid() == child.pid())) {
                total += ticks(child.pid(), true);
            }
        }
        return total / (double) clockTicks;
    }

    /** The embedded PostgreSQL's processes now (postmaster, backends, workers), by pid. */
    Set<Long> postgresPids() {
        Set<Long> pids = new HashSet<>();
        process.toHandle().descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    /**
     * Waits, at most {@code max}, until every PostgreSQL process now alive that is not in {@code before}
     * has ended and been reaped. A backend's CPU moves into the postmaster's {@code cutime} only when the
     * postmaster reaps it, so {@link #postgresCpuSeconds} read right after a client such as pgbench
     * disconnects counts neither the ended backends nor their reaped time (pgbench's PostgreSQL CPU read
     * 0.02 cores in 20261207-235115Z, 1.65 in the next two runs). A process is gone once its
     * {@code /proc} entry is: a zombie keeps it until reaped. Returns how many had not ended by then.
     */
    int awaitEnded(Set<Long> before, Duration max) throws InterruptedException {
        Set<Long> waiting = postgresPids();
        waiting.removeAll(before);
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            waiting.removeIf(pid -> !Files.exists(Path.of("/proc", Long.toString(pid))));
            if (waiting.isEmpty() || System.nanoTime() - deadline > 0) {
                return waiting.size();
            }
            Thread.sleep(20);
        }
    }

    /** Peak resident set size of the service JVM (VmHWM), bytes. */
    long peakRssBytes() {
        return statusKb(pid(), "VmHWM:") * 1024;
    }

    long rssBytes() {
        return statusKb(pid(), "VmRSS:") * 1024;
    }

    /** Summed current RSS of the PostgreSQL processes (shared buffers counted once per process that touched them). */
    long postgresRssBytes() {
        return process.toHandle().descendants().mapToLong(p -> statusKb(p.pid(), "VmRSS:")).sum() * 1024;
    }

    int postgresPort() throws IOException {
        List<String> lines = Files.readAllLines(dataDir.resolve("pgdata/postmaster.pid"));
        return Integer.parseInt(lines.get(3).strip());
    }

    String postgresUser() {
        return credentials().getProperty("username", "ledger");
    }

    String postgresPassword() {
        return credentials().getProperty("password");
    }

    Connection jdbc(String database) throws IOException, SQLException {
        return jdbc(database, false);
    }

    /** With {@code rewriteBatches}, a JDBC batch of INSERTs goes as multi-row INSERTs (reWriteBatchedInserts). */
    Connection jdbc(String database, boolean rewriteBatches) throws IOException, SQLException {
        Properties props = new Properties();
        props.setProperty("user", postgresUser());
        props.setProperty("password", postgresPassword());
        if (rewriteBatches) {
            props.setProperty("reWriteBatchedInserts", "true");
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgresPort() + "/" + database, props);
    }

    private Properties credentials() {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dataDir.resolve("credentials"))) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** SIGTERM (graceful), then kill; the embedded PostgreSQL goes with the JVM. Deletes the data folder. */
    @Override
    public synchronized void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
                // The postmaster gets its parent-death signal; give it time to finish before deleting.
                for (int i = 0; i < 100 && Files.exists(dataDir.resolve("pgdata/postmaster.pid")); i++) {
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // The server's own log (autovacuums and checkpoints, see Bench.startService) goes with the results.
        Path postgresLog = dataDir.resolve("postgres.log");
        try {
            if (Files.isRegularFile(postgresLog)) {
                Files.copy(postgresLog, log.resolveSibling(log.getFileName().toString().replace("service", "postgres")),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("could not copy " + postgresLog + ": " + e);
        }
        if (!keepData && Files.exists(dataDir)) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                System.err.println("could not delete " + dataDir + ": " + e);
            }
        }
    }

    /** utime + stime of one process or thread, from its {@code stat} file. */
    private static long ticks(Path stat) throws IOException {
        return fields(stat, 11);
    }

    /** The sum of the two {@code stat} fields from {@code first} on, counted after the command name. */
    private static long fields(Path stat, int first) throws IOException {
        String line = Files.readString(stat);
        // Fields after the command name (which may contain spaces) start at field 3.
        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[first]) + Long.parseLong(f[first + 1]);
    }

    private static long ticks(long pid, boolean children) {
        try {
            int utime = 11; // field 14 in proc(5) numbering, minus 3; cutime and cstime follow stime
            return fields(Path.of("/proc", Long.toString(pid), "stat"), children ? utime + 2 : utime);
        } catch (IOException | RuntimeException e) {
            return 0; // process gone
        }
    }

    private static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** CPU seconds used by this load generator's own JVM. */
    static double ownCpuSeconds(long clockTicks) {
        return cpuSeconds(ProcessHandle.current().pid(), clockTicks);
    }

    /** CPU seconds of a live process so far (utime + stime, every thread); 0 when it is gone. */
    static double cpuSeconds(long pid, long clockTicks) {
        return ticks(pid, false) / (double) clockTicks;
    }

    /**
     * CPU seconds of this JVM's reaped children (cutime + cstime of {@code /proc/self/stat}): a child
     * such as wrk is counted once {@link Process#waitFor} has returned (the JDK reaps it then).
     */
    static double childrenCpuSeconds(long clockTicks) {
        return ticks(ProcessHandle.current().pid(), true) / (double) clockTicks;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static String tail(Path file, int lines) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - 16384);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            return lastLines(new String(bytes, StandardCharsets.UTF_8), lines);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** The last {@code lines} lines of {@code text}. */
    static String lastLines(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
