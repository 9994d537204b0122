package com.qiledger.api.intake;

import com.qiledger.api.config.LedgerProperties;
import com.qiledger.api.web.Problems;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code POST /webhooks/qitech}: the one URL the provider calls, for every family. The body is read
 * as raw bytes (never re-encoded) up to the configured limit, authenticated, then applied on the
 * blocking scheduler; the 200 is written only after the commit.
 */
@RestController
public class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    /** Past this the provider has given up (10 s); a 503 makes it resend, which is safe. */
    private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(8);

    private final IntakeService intake;
    private final DeliveryAuthenticator authenticator;
    private final Scheduler blocking;
    private final int maxBodyBytes;
    private final IntakeMetrics metrics;

    public WebhookController(IntakeService intake, DeliveryAuthenticator authenticator, Scheduler blockingScheduler,
                             LedgerProperties properties, IntakeMetrics metrics) {
        this.intake = intake;
        this.authenticator = authenticator;
        this.blocking = blockingScheduler;
        this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE, properties.webhook().maxBodyBytes().toBytes());
        this.metrics = metrics;
    }

    @PostMapping("/webhooks/qitech")
    public Mono<ResponseEntity<Object>> receive(ServerHttpRequest request) {
        MediaType contentType = request.getHeaders().getContentType();
        if (contentType != null && !isJson(contentType)) {
            return Mono.just(Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "webhook bodies must be JSON, not " + contentType));
        }
        if (request.getHeaders().getContentLength() > maxBodyBytes) {
            return Mono.just(tooLarge());
        }
        return DataBufferUtils.join(request.getBody(), maxBodyBytes)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> authenticator.verify(request.getMethod(), request.getPath().value(),
                                request.getHeaders(), body)
                        .map(refusal -> Mono.just(refused(refusal)))
                        .orElseGet(() -> Mono.fromCallable(() -> intake.receive(body,
                                        contentType == null ? null : contentType.toString()))
                                .subscribeOn(blocking)
                                .timeout(ANSWER_DEADLINE)
                                .map(answer -> ResponseEntity.ok().<Object>body(answer))))
                .onErrorResume(DataBufferLimitException.class, e -> Mono.just(tooLarge()))
                .onErrorResume(RejectedExecutionException.class, e -> Mono.just(unavailable("the service is "
                        + "saturated; nothing was recorded, resend later")))
                .onErrorResume(TimeoutException.class, e -> Mono.just(unavailable("the store did not commit in "
                        + "time; nothing is acknowledged, resend later")))
                .onErrorResume(StoreUnavailableException.class, e -> {
                    log.warn("store unavailable: {}", Failures.describe(e));
                    return Mono.just(unavailable("the store cannot commit right now; nothing was acknowledged, "
                            + "resend later"));
                });
    }

    /** 401 naming the failed check; counted, logged without the token, and nothing is recorded. */
    private ResponseEntity<Object> refused(DeliveryAuthenticator.Refusal refusal) {
        metrics.refusal(refusal.check());
        log.warn("delivery refused: authentication check {} failed", refusal.check());
        return Problems.of(HttpStatus.UNAUTHORIZED, "authentication-failed",
                "authentication failed: " + refusal.check() + " (" + refusal.detail() + ")",
                Map.of("check", refusal.check()));
    }

    private ResponseEntity<Object> tooLarge() {
        return Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                "webhook bodies are limited to " + maxBodyBytes + " bytes");
    }

    private static ResponseEntity<Object> unavailable(String detail) {
        ResponseEntity<Object> problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", detail);
        return ResponseEntity.status(problem.getStatusCode()).headers(problem.getHeaders())
                .header("Retry-After", "1").body(problem.getBody());
    }

    static boolean isJson(MediaType type) {
        return "json".equalsIgnoreCase(type.getSubtype())
                || type.getSubtype().toLowerCase().endsWith("+json");
    }
}
