package com.qiledger.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the launcher in a JVM of its own, which is how its behaviour under a killed JVM or a
 * non-root user can be checked. Usage: {@code <dataDir> <binariesDir> [--stop]}.
 *
 * <p>Without {@code --stop} it keeps the JVM running until killed; with {@code --stop} it runs
 * one query and closes the server.
 */
public final class EmbeddedPostgresSmoke {

    private EmbeddedPostgresSmoke() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres.Settings settings = EmbeddedPostgres.Settings.of(Path.of(args[0]))
                .withBinariesDir(Path.of(args[1]))
                .withFsync(false);
        // Started from a thread that ends at once, as a pool thread or Spring Boot DevTools'
        // restartedMain may: the server must outlive the thread that started it.
        EmbeddedPostgres postgres = CompletableFuture.supplyAsync(
                () -> EmbeddedPostgres.start(settings), task -> new Thread(task, "short-lived-starter").start()).join();
        System.out.println("READY pid=" + postgres.pid() + " port=" + postgres.port());
        if (args.length > 2 && args[2].equals("--stop")) {
            try (Connection connection = DriverManager.getConnection(
                            postgres.jdbcUrl(), postgres.username(), postgres.password());
                    ResultSet rows = connection.createStatement().executeQuery("SELECT 1")) {
                rows.next();
                System.out.println("SELECT1=" + rows.getInt(1));
            }
            postgres.close();
            System.out.println("STOPPED");
            return;
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
