package com.qiledger.api.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The service started as a separate JVM from the test class path, as an operator would run it. */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final Process process;
    final int port;
    final Path log;
    final long startMillis;

    private ServiceProcess(Process process, int port, Path log, long startMillis) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startMillis = startMillis;
    }

    static ServiceProcess start(Path dataDir) {
        return start(dataDir, List.of());
    }

    /** With more command-line settings ({@code --name=value}) after the usual ones. */
    static ServiceProcess start(Path dataDir, List<String> settings) {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path log = Files.createTempFile("qi-ledger-service-", ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    "com.qiledger.api.LedgerApplication",
                    "--server.port=" + port,
                    "--ledger.data-dir=" + dataDir,
                    "--ledger.embedded.binaries-dir=" + Path.of(System.getProperty("java.io.tmpdir"),
                            "qi-ledger-test-postgres-bin")));
            command.addAll(settings);
            long started = System.currentTimeMillis();
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            ServiceProcess service = new ServiceProcess(process, port, log, started);
            try {
                // 120 s: a CI machine shared with other builds has taken more than 60 s to start it
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("service exited: " + Files.readString(log));
                    }
                    return service.healthy();
                });
            } catch (RuntimeException | Error notStarted) {
                // a service that did not start in time must not outlive the test
                process.destroyForcibly();
                throw notStarted;
            }
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean healthy() {
        try {
            return get("/actuator/health").statusCode() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    HttpResponse<String> post(byte[] body) {
        return send(HttpRequest.newBuilder(uri("/webhooks/qitech")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path)).header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
