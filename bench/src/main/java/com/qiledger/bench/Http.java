package com.qiledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The JDK HTTP client, HTTP/1.1 with keep-alive (one connection per concurrent sender), talking to
 * the service. Read requests carry a bearer token of the role API.md names for them, so the same
 * harness works once role tokens are enforced (the service is started with these tokens).
 */
final class Http {

    static final String AUDITOR = "bench-auditor-token";
    static final String FINANCE = "bench-finance-token";
    static final String OPERATOR = "bench-operator-token";

    static final ObjectMapper JSON = new ObjectMapper();

    /** Where the provider delivers webhooks (and the {@code uri} a signed delivery's token names). */
    static final String WEBHOOK_PATH = "/webhooks/qitech";

    /** One answer to a webhook; {@code status} is -1 when no HTTP answer came (timeout, I/O error). */
    record Ack(int status, String outcome, long position, String error) {
        boolean ok() {
            return status == 200;
        }
    }

    record Answer(int status, byte[] body, String error) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (status " + status + "): " + new String(body), e);
            }
        }
    }

    private final HttpClient client;
    private final String base;
    private final URI webhookUri;
    private final Duration timeout;

    Http(int port, Duration timeout) {
        this.base = "http://127.0.0.1:" + port;
        this.webhookUri = URI.create(base + WEBHOOK_PATH);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** POSTs one webhook body, with {@code headers} (name/value pairs, e.g. a pre-made signature) added. */
    Ack postWebhook(byte[] body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(webhookUri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return new Ack(response.statusCode(), null, -1, null);
            }
            JsonNode answer = JSON.readTree(response.body());
            JsonNode position = answer.get("position");
            return new Ack(200, answer.path("outcome").asText(null),
                    position == null || position.isNull() ? -1 : position.asLong(), null);
        } catch (HttpTimeoutException e) {
            return new Ack(-1, null, -1, "timeout");
        } catch (IOException e) {
            return new Ack(-1, null, -1, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Ack(-1, null, -1, "interrupted");
        }
    }

    Answer get(String pathAndQuery, String token, Duration requestTimeout) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET(), token, requestTimeout);
    }

    Answer post(String path, String token, Duration requestTimeout) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()), token,
                requestTimeout);
    }

    private Answer send(HttpRequest.Builder builder, String token, Duration requestTimeout) {
        builder.timeout(requestTimeout).header("Accept", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.body(), null);
        } catch (HttpTimeoutException e) {
            return new Answer(-1, new byte[0], "timeout");
        } catch (IOException e) {
            return new Answer(-1, new byte[0], e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, new byte[0], "interrupted");
        }
    }
}
