package com.qiledger.api.intake;

import com.qiledger.api.platform.LedgerProperties;
import com.qiledger.api.platform.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /webhooks/qitech}: the one URL the provider calls, for every family. The body is read
 * as raw bytes (never re-encoded) up to the configured limit, authenticated and translated on a
 * delivery worker ({@link #workers}), then written by a committer; the 200 is written only after the
 * commit.
 */
@RestController
public class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    /**
     * Past this the provider is about to give up (10 s); a 503 makes it resend, which is safe. The
     * work itself stops a second earlier, at {@code ledger.webhook.deadline} (IntakeService), so this
     * is only the backstop of a worker that never got to run.
     */
    private final Duration answerDeadline;

    private final IntakeService intake;
    private final DeliveryAuthenticator authenticator;
    /** Where a delivery's signature is checked and its body translated: {@link #workers}, or the blocking pool. */
    private final Scheduler offLoop;
    /**
     * The delivery workers with group commit (issue 20): as many threads as cores, sharing one bounded
     * queue, because their work is CPU only (the signature check, the translation; the commit waits on
     * no thread). A worker that finishes takes the next delivery without parking, where the blocking
     * pool's sixteen workers, each with a queue of its own, had one parked thread woken per delivery
     * (async-profiler: the event loops' wake-ups and the workers' context switches, 5 % of the
     * service's CPU under load). Threads plus queue are {@code ledger.blocking.threads + queue}, the bound
     * the intake keeps for deliveries in flight, so a full queue is the same fast 503 as before.
     * Without group commit a worker waits for its delivery's commit, so the blocking pool serves.
     */
    private final ExecutorService workers;
    private final int maxBodyBytes;
    private final IntakeMetrics metrics;

    public WebhookController(IntakeService intake, DeliveryAuthenticator authenticator, Scheduler blockingScheduler,
                             LedgerProperties properties, IntakeMetrics metrics) {
        this.intake = intake;
        this.authenticator = authenticator;
        if (properties.webhook().groupCommit() > 1) {
            int threads = Math.max(1, Math.min(properties.blocking().threads(),
                    Runtime.getRuntime().availableProcessors()));
            int queue = Math.max(1, properties.blocking().threads() + properties.blocking().queue() - threads);
            CustomizableThreadFactory named = new CustomizableThreadFactory("ledger-intake-");
            named.setDaemon(true);
            this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(queue), named, new ThreadPoolExecutor.AbortPolicy());
            this.offLoop = Schedulers.fromExecutorService(workers, "ledger-intake");
        } else {
            this.workers = null;
            this.offLoop = blockingScheduler;
        }
        this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE, properties.webhook().maxBodyBytes().toBytes());
        this.metrics = metrics;
        this.answerDeadline = properties.webhook().deadline().plusSeconds(1);
    }

    @PostMapping("/webhooks/qitech")
    @Operation(summary = "Receive one QI Tech webhook (every family)",
            description = "The one URL configured at the provider. The body is kept byte for byte. Authenticated by "
                    + "the provider's signature scheme (ledger.webhook.auth), not by a bearer token. A 200 is sent "
                    + "only after the delivery is committed; under overload the answer is a fast 503 and the "
                    + "provider resends.",
            requestBody = @RequestBody(required = true, description = "The webhook exactly as the provider sends it",
                    content = @Content(mediaType = "application/json", schema = @Schema(type = "object"),
                            examples = @ExampleObject(name = "bank slip paid", value = "{\"webhook_type\": "
                                    + "\"bank_slip.status_change\", \"key\": \"5f8a2d4e-1c3b-4a6f-9e7d-0b2c4d6e8f10\", "
                                    + "\"status\": \"paid\", \"event_datetime\": \"2024-05-02 14:03:11\", "
                                    + "\"data\": {\"paid_amount\": 150.75}}"))),
            responses = {
                @ApiResponse(responseCode = "200", description = "Durably recorded: applied, duplicate or "
                        + "quarantined", content = @Content(mediaType = "application/json",
                        schema = @Schema(implementation = IntakeAnswer.class), examples = {
                            @ExampleObject(name = "applied", ref = IntakeApiDocs.APPLIED),
                            @ExampleObject(name = "duplicate", ref = IntakeApiDocs.DUPLICATE),
                            @ExampleObject(name = "quarantined", ref = IntakeApiDocs.QUARANTINED)})),
                @ApiResponse(responseCode = "401", description = "Authentication failed (names the failed check); "
                        + "nothing recorded", content = @Content(mediaType = "application/problem+json",
                        examples = @ExampleObject(name = "signature", ref = IntakeApiDocs.UNAUTHENTIC))),
                @ApiResponse(responseCode = "413", description = "Body larger than ledger.webhook.max-body-bytes",
                        content = @Content(mediaType = "application/problem+json",
                        examples = @ExampleObject(name = "too large", ref = IntakeApiDocs.TOO_LARGE))),
                @ApiResponse(responseCode = "415", description = "Content type is not JSON",
                        content = @Content(mediaType = "application/problem+json",
                        examples = @ExampleObject(name = "not JSON", ref = IntakeApiDocs.NOT_JSON))),
                @ApiResponse(responseCode = "503", description = "The store cannot commit right now; nothing "
                        + "acknowledged, the provider resends (Retry-After)",
                        content = @Content(mediaType = "application/problem+json",
                        examples = @ExampleObject(name = "store unavailable", ref = IntakeApiDocs.STORE_UNAVAILABLE)))
            })
    public Mono<ResponseEntity<Object>> receive(ServerHttpRequest request) {
        return answer(request);
    }

    /**
     * The answer to one delivery, whichever way it came in: through this controller, or (what the
     * service actually serves) through {@link WebhookRoute}, which calls this directly from the
     * HTTP handler, ahead of WebFlux's filter chain and handler mapping.
     */
    Mono<ResponseEntity<Object>> answer(ServerHttpRequest request) {
        MediaType contentType;
        try {
            contentType = request.getHeaders().getContentType();
        } catch (org.springframework.http.InvalidMediaTypeException e) {
            return Mono.just(Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "webhook bodies must be JSON; the Content-Type header does not parse"));
        }
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
                // one hop off the event loop: the signature check (CPU) and the delivery's translation
                // run on a worker, never on Netty's threads (issue 20); the worker hands the delivery to
                // a committer and is free again, and the answer is written when the commit completes it
                .flatMap(body -> Mono.fromCallable(() -> authenticator.verify(request.getMethod(),
                                        request.getPath().value(), request.getHeaders(), body)
                                .map(refusal -> Mono.just(refused(refusal)))
                                .orElseGet(() -> Mono.fromFuture(intake.submit(body,
                                        contentType == null ? null : contentType.toString(),
                                        authenticator.keep(request.getMethod(), request.getPath().value(),
                                                request.getHeaders()).orElse(null)), true)
                                        // a timed-out or dropped request does not cancel the answer:
                                        // the delivery is still written and its line still logged
                                        .map(answer -> ResponseEntity.ok().<Object>body(answer))))
                        .subscribeOn(offLoop)
                        .flatMap(answer -> answer)
                        .timeout(answerDeadline))
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

    /** The workers finish what they hold (each hands its delivery to a committer) and stop. */
    @jakarta.annotation.PreDestroy
    void stopWorkers() throws InterruptedException {
        if (workers != null) {
            workers.shutdown();
            workers.awaitTermination(5, TimeUnit.SECONDS);
        }
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
