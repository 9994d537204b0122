package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The offline verifier as an auditor runs it, a process of its own on a ledger's data folder: exit 0 on
 * a ledger written by the service, 1 with the edited row named once an insider changed it, 2 when it
 * cannot check (no ledger, an unreadable digest, the ledger still running); no HTTP server, no write.
 */
class VerifierProcessTest {

    static final Path BINARIES = Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-test-postgres-bin");

    record Run(int exit, String output) {
    }

    static Run verify(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "com.qiledger.api.LedgerApplication", "verify",
                "--ledger.embedded.binaries-dir=" + BINARIES));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("qi-ledger-verify-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the verifier ends by itself").isTrue();
        return new Run(process.exitValue(), Files.readString(log));
    }

    @Test
    void exitZeroOnTheServicesLedgerOneWithTheEditedRowNamedTwoWhenItCannotCheck() throws Exception {
        Path data = TestDataDirs.create("verifier-process");
        Path digest = Files.createTempFile("qi-ledger-digest-", ".json");
        Path key = Files.createTempFile("qi-ledger-public-key-", ".pem");
        try (ServiceProcess service = ServiceProcess.start(data)) {
            for (byte[] body : Webhooks.all()) {
                assertThat(service.post(body).statusCode()).isEqualTo(200);
            }
            Files.writeString(digest, service.get("/api/v1/audit/digest").body());
            String pem = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(service.get("/api/v1/audit/public-key").body()).get("public_key_pem").asText();
            Files.writeString(key, pem);

            Run whileRunning = verify("--ledger.data-dir=" + data);
            assertThat(whileRunning.exit()).as(whileRunning.output()).isEqualTo(2);
            assertThat(whileRunning.output()).contains("stop the ledger first");

            service.process.destroy();      // SIGTERM: a clean stop, as an operator's
            assertThat(service.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        long xidsBefore = nextTransactionId(data);

        Run intact = verify("--ledger.data-dir=" + data, "--digest=" + digest, "--public-key=" + key);
        assertThat(intact.exit()).as(intact.output()).isZero();
        assertThat(intact.output()).contains("INTACT: ").doesNotContain("BREAK").doesNotContain("Netty");
        // nothing written: not one transaction id was taken while it ran
        assertThat(nextTransactionId(data)).isEqualTo(xidsBefore);

        String edited;
        try (EmbeddedPostgres db = EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(data).withBinariesDir(BINARIES));
             Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL session_replication_role = replica");
            try (ResultSet rs = s.executeQuery("SELECT aggregateidentifier FROM domainevententry "
                    + "WHERE sequencenumber = 1 ORDER BY globalindex LIMIT 1")) {
                rs.next();
                edited = rs.getString(1);
            }
            s.execute("UPDATE domainevententry SET payload = set_byte(payload, 3, get_byte(payload, 3) # 1) "
                    + "WHERE aggregateidentifier = '" + edited + "' AND sequencenumber = 1");
            c.commit();
        }
        Run broken = verify("--ledger.data-dir=" + data, "--digest=" + digest, "--public-key=" + key);
        assertThat(broken.exit()).as(broken.output()).isEqualTo(1);
        String key1 = edited.substring(edited.indexOf(':') + 1);
        assertThat(broken.output()).contains("BREAK table=domainevententry entity=")
                .contains("key=" + key1 + " sequence 1: payload edited")
                .contains("history rewritten before this digest");

        Run noLedger = verify("--ledger.data-dir=" + TestDataDirs.create("verifier-nothing"));
        assertThat(noLedger.exit()).as(noLedger.output()).isEqualTo(2);
        Path unreadable = Files.writeString(Files.createTempFile("qi-ledger-digest-", ".json"), "{not json");
        Run badDigest = verify("--ledger.data-dir=" + data, "--digest=" + unreadable);
        assertThat(badDigest.exit()).as(badDigest.output()).isEqualTo(2);
    }

    /** The next transaction id of the database in that folder (read without taking one). */
    static long nextTransactionId(Path data) throws Exception {
        try (EmbeddedPostgres db = EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(data).withBinariesDir(BINARIES)
                .withStartTimeout(Duration.ofSeconds(60)));
             Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CAST(pg_snapshot_xmax(pg_current_snapshot()) AS TEXT)")) {
            rs.next();
            return Long.parseLong(rs.getString(1));
        }
    }
}
