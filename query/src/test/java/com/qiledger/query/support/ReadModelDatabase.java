package com.qiledger.query.support;

import com.qiledger.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The read models' schema on a real PostgreSQL, for projection tests: one server per test JVM, started
 * on first use from the binaries artifact ({@link EmbeddedPostgres}), migrated once with the service's
 * own Flyway migrations (api/src/main/resources/db/migration, on the test class path as
 * {@code db/migration}, see query/pom.xml), and emptied for every test. Tests run one at a time on one
 * connection, which keeps each statement a few hundred microseconds.
 */
public final class ReadModelDatabase {

    private static ReadModelDatabase shared;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate named;
    private final String tables;

    private ReadModelDatabase(SingleConnectionDataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.named = new NamedParameterJdbcTemplate(dataSource);
        this.tables = jdbc.sql("""
                        SELECT string_agg(format('%I.%I', schemaname, tablename), ', ' ORDER BY tablename)
                        FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'flyway_schema_history'
                        """)
                .query(String.class)
                .single();
    }

    /** The shared database with every table empty: a test's field initialiser, so each test starts clean. */
    public static ReadModelDatabase emptied() {
        ReadModelDatabase db = shared();
        db.jdbc.sql("TRUNCATE " + db.tables).update();
        return db;
    }

    private static synchronized ReadModelDatabase shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    private static ReadModelDatabase start() {
        Path data = dataDir();
        // Shared with api's tests, so that the binaries are unpacked once per machine, not once per run.
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-test-postgres-bin");
        EmbeddedPostgres postgres = EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(data)
                .withBinariesDir(binaries).withFsync(false).withStartTimeout(Duration.ofSeconds(60)));
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(postgres.jdbcUrl(),
                postgres.username(), postgres.password(), true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dataSource.destroy();
            postgres.close();
            deleteQuietly(data);
        }, "read-model-database-stop"));
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        // every test empties every table, the append-only ones too: their fence (V17) is lifted here, as
        // docs/audit.md says, on this scratch database only
        JdbcClient.create(dataSource).sql("""
                        ALTER TABLE domainevententry DISABLE TRIGGER USER;
                        ALTER TABLE receipt DISABLE TRIGGER USER;
                        ALTER TABLE audit_chain DISABLE TRIGGER USER;
                        ALTER TABLE audit_digest DISABLE TRIGGER USER""").update();
        return new ReadModelDatabase(dataSource);
    }

    public JdbcClient jdbc() {
        return jdbc;
    }

    public NamedParameterJdbcTemplate named() {
        return named;
    }

    /** Every row of a table as JSON text, in a stable order: what two ways of folding are compared by. */
    public List<String> rows(String table) {
        return jdbc.sql("SELECT row_to_json(t)::text AS row FROM " + table + " t ORDER BY 1")
                .query(String.class)
                .list();
    }

    /** Every row of each table, table by table. */
    public List<List<String>> rows(String... tables) {
        return Arrays.stream(tables).map(this::rows).toList();
    }

    /** One value of one row, for assertions on a single column. */
    public <T> T value(String sql, Class<T> type) {
        return jdbc.sql(sql).query(type).single();
    }

    /** Under the system temp folder, which the server's unprivileged account can enter when the JVM is root. */
    private static Path dataDir() {
        try {
            Path dir = Files.createTempDirectory("qi-ledger-query-test-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temp folder
        }
    }
}
