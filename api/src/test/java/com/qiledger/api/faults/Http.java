package com.qiledger.api.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A provider's view of one node: loopback HTTP, with a deadline on every call. */
final class Http {

    /** The provider gives up on an answer after 10 s; the client waits a little longer to see late ones. */
    static final Duration PROVIDER_PATIENCE = Duration.ofSeconds(10);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final int port;

    Http(int port) {
        this.port = port;
    }

    /**
     * One answer as the provider sees it: a status (0 when there was none: refused connection,
     * reset, no answer in time), the JSON body, and how long it took.
     */
    record Answer(int status, JsonNode body, Duration took, String failure) {

        boolean ok() {
            return status == 200;
        }

        String text(String field) {
            return body == null || body.get(field) == null || body.get(field).isNull() ? null : body.get(field).asText();
        }

        long position() {
            return body.get("position").asLong();
        }
    }

    Answer post(byte[] body) {
        return send(HttpRequest.newBuilder(uri("/webhooks/qitech")).header("content-type", "application/json")
                .timeout(CLIENT_TIMEOUT).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(CLIENT_TIMEOUT).GET().build());
    }

    boolean healthy() {
        return get("/actuator/health").status() == 200;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static Answer send(HttpRequest request) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = response.body().isEmpty() ? null : JSON.readTree(response.body());
            } catch (IOException notJson) {
                // a body that is not JSON stays null
            }
            return new Answer(response.statusCode(), json, Duration.ofNanos(System.nanoTime() - started), null);
        } catch (IOException e) {
            return new Answer(0, null, Duration.ofNanos(System.nanoTime() - started), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, Duration.ofNanos(System.nanoTime() - started), e.toString());
        }
    }
}
