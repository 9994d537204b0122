package com.qiledger.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Temp folders under /tmp that uid 65534 can enter, and one binaries folder shared by all tests to unpack only once. */
final class TestSupport {

    static final boolean ROOT = EmbeddedPostgres.currentUid() == 0;

    private static final List<Path> created = new ArrayList<>();
    private static Path sharedBinaries;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> created.forEach(TestSupport::deleteQuietly)));
    }

    private TestSupport() {
    }

    static synchronized Path newTempDir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            created.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized Path sharedBinariesDir() {
        if (sharedBinaries == null) {
            sharedBinaries = newTempDir("epg-bin-").resolve("pg");
        }
        return sharedBinaries;
    }

    static EmbeddedPostgres.Settings settings(Path dataDir) {
        return EmbeddedPostgres.Settings.of(dataDir)
                .withBinariesDir(sharedBinariesDir())
                .withFsync(false)
                .withStartTimeout(Duration.ofSeconds(30));
    }

    static String queryOne(EmbeddedPostgres postgres, String sql) throws SQLException {
        try (Connection connection = connect(postgres);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    static void execute(EmbeddedPostgres postgres, String sql) throws SQLException {
        try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static Connection connect(EmbeddedPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }

    static long uidOf(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("Uid:"))
                .map(line -> Long.parseLong(line.split("\\s+")[2]))
                .findFirst().orElseThrow();
    }

    /** Postmasters and their helpers name the data folder on their command line; backends rewrite theirs. */
    static List<Long> processesNaming(Path folder) {
        return ProcessHandle.allProcesses()
                .filter(process -> commandLine(process.pid()).contains(folder.toString()))
                .map(ProcessHandle::pid)
                .toList();
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: these are temp folders
        }
    }
}
