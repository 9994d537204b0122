package com.qiledger.api.faults;

import com.qiledger.api.e2e.TestDataDirs;
import com.qiledger.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The external PostgreSQL of a fault test: started by the test, on a fixed loopback port so that it
 * can be stopped and started again where the nodes left it, with the test's own JDBC access.
 */
final class FaultDatabase implements AutoCloseable {

    private final EmbeddedPostgres.Settings settings;
    private volatile EmbeddedPostgres server;

    private FaultDatabase(EmbeddedPostgres.Settings settings) {
        this.settings = settings;
        this.server = EmbeddedPostgres.start(settings);
    }

    static FaultDatabase start(String name) {
        return new FaultDatabase(EmbeddedPostgres.Settings.of(TestDataDirs.create(name))
                .withBinariesDir(Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-test-postgres-bin"))
                .withFsync(false)
                .withPort(freePort()));
    }

    /** Fast shutdown: open transactions are rolled back, connections dropped, committed data kept. */
    void stop() {
        server.close();
    }

    /** Starts the server again on the same data folder and port. */
    void restart() {
        server = EmbeddedPostgres.start(settings);
    }

    int port() {
        return server.port();
    }

    String jdbcUrl() {
        return server.jdbcUrl();
    }

    String username() {
        return server.username();
    }

    String password() {
        return server.password();
    }

    /** Plain connections, one per statement: they survive a restart of the server. */
    JdbcClient jdbc() {
        SimpleDriverDataSource source = new SimpleDriverDataSource(new org.postgresql.Driver(), jdbcUrl(), username(),
                password());
        return JdbcClient.create(source);
    }

    /**
     * Every break the offline verifier finds in this database (issue 21): each event linked into its
     * entity's hash chain exactly once, whatever the races, kills and outages did.
     */
    java.util.List<String> chainBreaks() {
        try (java.sql.Connection c = new org.postgresql.Driver().connect(jdbcUrl(), credentials())) {
            return com.qiledger.api.audit.VerifyCommand.verify(c, java.util.Optional.empty(), java.util.Optional.empty())
                    .breaks().stream().map(com.qiledger.api.audit.Verification.Break::line).toList();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("the verifier could not read the database", e);
        }
    }

    private java.util.Properties credentials() {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", username());
        props.setProperty("password", password());
        return props;
    }

    /** What a node needs to use this database instead of an embedded one. */
    String[] nodeProperties() {
        return new String[] {"spring.datasource.url=" + jdbcUrl(), "spring.datasource.username=" + username(),
                "spring.datasource.password=" + password(), "ledger.webhook.auth=none", "ledger.security.open=true"};
    }

    @Override
    public void close() {
        server.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
