package com.qiledger.api.faults;

import com.qiledger.api.e2e.TestDataDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One service node as its own JVM on the test's external PostgreSQL, as an operator runs several:
 * its own pid (so its own name as a segment owner in the token store), killable with SIGKILL.
 */
final class LedgerNode implements AutoCloseable {

    final String name;
    final Process process;
    final Path log;
    final Http http;

    private LedgerNode(String name, Process process, Path log, int port) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.http = new Http(port);
    }

    /** Starts a node and returns once its health check answers 200. */
    static LedgerNode start(String name, FaultDatabase database, String... properties) {
        LedgerNode node = launch(name, database, properties);
        node.awaitHealthy(Duration.ofSeconds(90));
        return node;
    }

    /** Starts a node without waiting for it. */
    static LedgerNode launch(String name, FaultDatabase database, String... properties) {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Path logs = Files.createDirectories(Path.of("target", "fault-nodes"));
            Path log = Files.createTempFile(logs, name + "-", ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-Daxoniq.update-checker.disabled=true",
                    "-cp", System.getProperty("java.class.path"),
                    "com.qiledger.api.LedgerApplication",
                    "--server.port=" + port,
                    "--server.address=127.0.0.1",
                    "--ledger.data-dir=" + TestDataDirs.create("node-" + name).resolve("unused"),
                    "--logging.level.root=WARN",
                    "--logging.level.com.qiledger.api.projections=INFO",
                    "--logging.level.com.qiledger.api.cluster=INFO",
                    // claims, releases and hand-overs of segments, for the node's log under target/fault-nodes
                    "--logging.level.org.axonframework.eventhandling.TrackingEventProcessor=INFO"));
            for (String property : database.nodeProperties()) {
                command.add("--" + property);
            }
            for (String property : properties) {
                if (property.startsWith("-")) {
                    command.add(1, property); // a JVM option
                } else {
                    command.add("--" + property);
                }
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            return new LedgerNode(name, process, log, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void awaitHealthy(Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("node " + name + " exited: " + output());
            }
            if (http.healthy()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node " + name + " not healthy within " + atMost + ": " + output());
            }
            Faults.sleep(200);
        }
    }

    /** SIGKILL: no shutdown hook, no released claim, no answer to requests in flight. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                throw new IllegalStateException("node " + name + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM: a graceful stop that drains requests and releases claims. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String output() {
        try {
            String text = Files.readString(log);
            return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }
}
