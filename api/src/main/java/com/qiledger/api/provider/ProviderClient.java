package com.qiledger.api.provider;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one client of the provider's API (ARCHITECTURE.md, "Calls to the provider"): every call is
 * signed ({@link ProviderSigner}, headers {@code AUTHORIZATION} and {@code API-CLIENT-KEY}), carries its
 * caller's request id in {@value #REQUEST_ID_HEADER} (the same on every attempt, so a repeat is
 * recognisable), is bounded by {@code ledger.provider.timeout}, and its answer is classified once for
 * every caller: {@code 2xx} accepted; {@code 4xx} (and any other non-{@code 5xx} status) refused, never
 * retried, except {@code 429}; a time-out, a connection failure, a {@code 429} or a {@code 5xx} failed, retried after {@link #backoff}
 * until {@link #maxAttempts}. One attempt per {@link #send}: the caller records each attempt and owns
 * the waiting, so that no thread holds a transaction or a request while it waits. Blocking; never called
 * inside a request or a command handler. Logs method, path, status and attempt, never bodies.
 */
@Component
public class ProviderClient {

    public static final String CLIENT_KEY_HEADER = "API-CLIENT-KEY";
    public static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Logger log = LoggerFactory.getLogger(ProviderClient.class);
    /** The provider is busy, not refusing: backed off and retried like a {@code 5xx}. */
    private static final int TOO_MANY_REQUESTS = 429;

    private final ProviderProperties settings;
    private final Clock clock;
    private final HttpClient http;
    private final ProviderSigner signer;

    public ProviderClient(ProviderProperties settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        // a key that is set is read at start: a bad one stops the service with the reason, not the first call
        this.signer = settings.privateKey() == null || settings.privateKey().isBlank() ? null
                : new ProviderSigner(PartnerKeys.privateKey(settings.privateKey()));
    }

    /** One request to the provider: {@code path} below the base URL, the exact body bytes (empty for none). */
    public record Call(String method, String path, byte[] body, String requestId) {

        public Call {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(requestId, "requestId");
            body = body == null ? new byte[0] : body;
        }
    }

    /** How an attempt ended, classified by the one policy. */
    public enum Outcome {
        ACCEPTED,
        REFUSED,
        FAILED
    }

    /** One attempt's answer: the status and body as received (null when none came), or the error. */
    public record Answer(Outcome outcome, Integer status, String body, String error) {
    }

    /** The first setting a call needs that is not set, or null: see {@link ProviderProperties#missingSetting()}. */
    public String missingSetting() {
        return settings.missingSetting();
    }

    public int maxAttempts() {
        return settings.retry().attempts();
    }

    /** How long to wait after failed attempt {@code attempt} (1, 2, ...): doubling, capped. */
    public Duration backoff(int attempt) {
        Duration first = settings.retry().backoff();
        Duration wait = first.multipliedBy(1L << Math.min(20, Math.max(0, attempt - 1)));
        return wait.compareTo(settings.retry().maxBackoff()) > 0 ? settings.retry().maxBackoff() : wait;
    }

    public Duration timeout() {
        return settings.timeout();
    }

    /**
     * Sends one attempt. Never throws for what the provider or the network did (that is the answer);
     * throws {@link ProviderNotConfiguredException} when a setting is missing.
     */
    public Answer send(Call call) {
        String missing = missingSetting();
        if (missing != null) {
            throw new ProviderNotConfiguredException(missing);
        }
        URI uri = URI.create(stripSlash(settings.baseUrl().strip()) + call.path());
        String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("AUTHORIZATION", signer.sign(call.method(), path, call.body(), clock.instant()))
                .header(CLIENT_KEY_HEADER, settings.clientKey().strip())
                .header(REQUEST_ID_HEADER, call.requestId())
                .header("Accept", "application/json")
                .method(call.method(), call.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        if (call.body().length > 0) {
            request.header("Content-Type", "application/json");
        }
        long started = System.nanoTime();
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            int status = response.statusCode();
            String body = new String(response.body(), StandardCharsets.UTF_8);
            Outcome outcome = status >= 200 && status < 300 ? Outcome.ACCEPTED
                    : status >= 500 || status == TOO_MANY_REQUESTS ? Outcome.FAILED : Outcome.REFUSED;
            log.info("provider call {} {} request={} status={} outcome={} ms={}", call.method(), path,
                    call.requestId(), status, outcome, millisSince(started));
            return new Answer(outcome, status, body, null);
        } catch (HttpConnectTimeoutException e) {
            return failed(call, path, started, "could not connect within " + settings.timeout().toMillis() + " ms");
        } catch (HttpTimeoutException e) {
            return failed(call, path, started, "no answer within " + settings.timeout().toMillis() + " ms");
        } catch (IOException e) {
            return failed(call, path, started, "connection failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(call, path, started, "interrupted while waiting for the provider");
        }
    }

    private static Answer failed(Call call, String path, long started, String error) {
        log.warn("provider call {} {} request={} failed after {} ms: {}", call.method(), path, call.requestId(),
                millisSince(started), error);
        return new Answer(Outcome.FAILED, null, null, error);
    }

    private static long millisSince(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    private static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
