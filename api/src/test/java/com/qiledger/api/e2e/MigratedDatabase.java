package com.qiledger.api.e2e;

import com.qiledger.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A fresh embedded PostgreSQL (fsync off) migrated up to one version, for tests of what a later
 * migration does to data the versions before it wrote: write as they did, then {@link #migrate()}.
 */
public record MigratedDatabase(EmbeddedPostgres postgres, DriverManagerDataSource dataSource) implements AutoCloseable {

    /** A database named {@code name} with the migrations up to and including {@code version}. */
    public static MigratedDatabase upTo(String name, String version) {
        EmbeddedPostgres postgres = EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(TestDataDirs.create(name))
                .withBinariesDir(Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-test-postgres-bin"))
                .withFsync(false).withStartTimeout(Duration.ofSeconds(60)));
        MigratedDatabase db = new MigratedDatabase(postgres,
                new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(), postgres.password()));
        Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration").target(version).load()
                .migrate();
        return db;
    }

    /** Applies every later migration. */
    public void migrate() {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    public JdbcClient jdbc() {
        return JdbcClient.create(dataSource);
    }

    @Override
    public void close() {
        postgres.close();
    }
}
