package com.qiledger.embedded;

import static com.qiledger.embedded.TestSupport.ROOT;
import static com.qiledger.embedded.TestSupport.execute;
import static com.qiledger.embedded.TestSupport.newTempDir;
import static com.qiledger.embedded.TestSupport.processesNaming;
import static com.qiledger.embedded.TestSupport.queryOne;
import static com.qiledger.embedded.TestSupport.settings;
import static com.qiledger.embedded.TestSupport.uidOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.qiledger.embedded.EmbeddedPostgres.EmbeddedPostgresException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresTest {

    @Test
    void startsALocalServerWithTheConfiguredSettings() throws Exception {
        Path dataDir = newTempDir("epg-data-");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(dataDir))) {
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/ledger");
            assertThat(postgres.username()).isEqualTo("ledger");
            assertThat(queryOne(postgres, "SELECT 1")).isEqualTo("1");
            assertThat(queryOne(postgres, "SELECT current_database()")).isEqualTo("ledger");
            assertThat(queryOne(postgres, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(queryOne(postgres, "SHOW unix_socket_directories")).isEmpty();
            assertThat(queryOne(postgres, "SHOW fsync")).isEqualTo("off");
            assertThat(queryOne(postgres, "SHOW synchronous_commit")).isEqualTo("off");
            assertThat(queryOne(postgres, "SHOW server_encoding")).isEqualTo("UTF8");
            assertThat(queryOne(postgres, "SELECT datcollate || '/' || datctype FROM pg_database"
                    + " WHERE datname = current_database()")).isEqualTo("C/C");
            assertThat(queryOne(postgres, "SHOW max_connections")).isEqualTo("100");
            assertThat(queryOne(postgres, "SHOW shared_buffers")).isEqualTo("1GB");
            assertThat(queryOne(postgres, "SHOW max_wal_size")).isEqualTo("16GB");
            assertThat(queryOne(postgres, "SHOW checkpoint_timeout")).isEqualTo("15min");
            assertThat(uidOf(postgres.pid())).isEqualTo(ROOT ? 65534 : EmbeddedPostgres.currentUid());
            assertThat(Files.readString(Path.of("/proc", Long.toString(postgres.pid()), "environ")).split("\0"))
                    .containsExactlyInAnyOrder("LC_ALL=C", "LANG=C");
            assertThat(Files.readString(dataDir.resolve("postgres.log"))).contains("ready to accept connections");
        }
    }

    @Test
    void restartKeepsDataAndHonoursDurableDefaults() throws Exception {
        Path dataDir = newTempDir("epg-data-");
        String cluster;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(dataDir))) {
            execute(postgres, "CREATE TABLE entry (id int PRIMARY KEY, memo text)");
            execute(postgres, "INSERT INTO entry VALUES (1, 'kept')");
            cluster = queryOne(postgres, "SELECT system_identifier FROM pg_control_system()");
        }
        long started = System.nanoTime();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(dataDir).withFsync(true))) {
            // A warm start reuses the cluster (no second initdb): the same system identifier. Its time is
            // printed, not asserted: speed is the benchmarks' business, not a unit test's (a busy CI machine).
            System.out.println("Warm start took " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
            assertThat(queryOne(postgres, "SELECT system_identifier FROM pg_control_system()")).isEqualTo(cluster);
            assertThat(queryOne(postgres, "SELECT memo FROM entry WHERE id = 1")).isEqualTo("kept");
            assertThat(queryOne(postgres, "SHOW fsync")).isEqualTo("on");
            assertThat(queryOne(postgres, "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(queryOne(postgres, "SHOW full_page_writes")).isEqualTo("on");
        }
    }

    @Test
    void keepsThePasswordPrivateAndStableAndRefusesOthers() throws Exception {
        Path dataDir = newTempDir("epg-data-");
        String password;
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(dataDir))) {
            password = postgres.password();
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), "ledger", password + "x"))
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28P01");
        }
        Path credentials = dataDir.resolve("credentials");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        assertThat((int) Files.getAttribute(credentials, "unix:uid")).isEqualTo((int) EmbeddedPostgres.currentUid());
        assertThat(Files.readString(credentials)).contains(password);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(dataDir))) {
            assertThat(postgres.password()).isEqualTo(password);
            assertThat(queryOne(postgres, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void closeIsIdempotentAndLeavesNothingRunning() throws Exception {
        Path dataDir = newTempDir("epg-data-");
        EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(dataDir));
        List<ProcessHandle> server = new ArrayList<>(ProcessHandle.of(postgres.pid()).orElseThrow().descendants().toList());
        server.add(ProcessHandle.of(postgres.pid()).orElseThrow());
        assertThat(server).hasSizeGreaterThan(1);

        postgres.close();
        postgres.close();

        assertThat(server).noneMatch(ProcessHandle::isAlive);
        assertThat(processesNaming(dataDir)).isEmpty();
        assertThat(dataDir.resolve("pgdata/postmaster.pid")).doesNotExist();
        assertThatThrownBy(() -> new Socket("127.0.0.1", postgres.port()).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void stopsAServerLeftRunningOnTheDataDir() throws Exception {
        Path dataDir = newTempDir("epg-data-");
        EmbeddedPostgres.start(settings(dataDir)).close();
        Process orphan = startPostgresWithoutLauncher(dataDir);

        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(dataDir))) {
            assertThat(orphan.isAlive()).isFalse();
            assertThat(queryOne(postgres, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void removesAPidFileNamingAnUnrelatedProcess() throws Exception {
        Path dataDir = newTempDir("epg-data-");
        EmbeddedPostgres.start(settings(dataDir)).close();
        Files.writeString(dataDir.resolve("pgdata/postmaster.pid"), ProcessHandle.current().pid() + "\n");

        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(settings(dataDir))) {
            assertThat(queryOne(postgres, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void reportsTheServerLogWhenPostgresFails() throws Exception {
        Path dataDir = newTempDir("epg-data-");
        EmbeddedPostgres.start(settings(dataDir)).close();
        Files.writeString(dataDir.resolve("pgdata/postgresql.conf"), "\nno_such_setting = on\n", StandardOpenOption.APPEND);

        assertThatThrownBy(() -> EmbeddedPostgres.start(settings(dataDir)))
                .isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("no_such_setting");
        assertThat(processesNaming(dataDir)).isEmpty();
    }

    @Test
    void reportsTheLogWhenInitdbFails() {
        assumeTrue(ROOT, "only root hands the server to another uid");
        Path dataDir = newTempDir("epg-data-");

        assertThatThrownBy(() -> EmbeddedPostgres.start(settings(dataDir).withServerUser(54321, 54321)))
                .isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining("initdb failed")
                .hasMessageContaining("could not look up effective user ID 54321");
        assertThat(dataDir.resolve("pgdata")).doesNotExist();
    }

    @Test
    void namesTheFolderTheServerUserCannotEnter() throws Exception {
        assumeTrue(ROOT, "only root hands the server to another uid");
        Path locked = newTempDir("epg-locked-");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));

        assertThatThrownBy(() -> EmbeddedPostgres.start(settings(locked.resolve("data"))))
                .isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining("cannot enter the folder " + locked + " ");
    }

    /** Like a postmaster whose JVM died before parent-death signals existed: nothing stops it. */
    private static Process startPostgresWithoutLauncher(Path dataDir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (ROOT) {
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        command.addAll(List.of(TestSupport.sharedBinariesDir().resolve("bin/postgres").toString(),
                "-D", dataDir.resolve("pgdata").toString(), "-p", Integer.toString(freePort()),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="));
        Process orphan = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("orphan.log").toFile()))
                .start();
        Path pidFile = dataDir.resolve("pgdata/postmaster.pid");
        for (int i = 0; i < 200 && !(Files.exists(pidFile) && Files.readString(pidFile).contains("ready")); i++) {
            assertThat(orphan.isAlive()).as("orphan postgres running, see orphan.log").isTrue();
            Thread.sleep(50);
        }
        assertThat(Files.readString(pidFile)).startsWith(orphan.pid() + "\n");
        return orphan;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
