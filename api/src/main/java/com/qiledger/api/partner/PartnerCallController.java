package com.qiledger.api.partner;

import com.qiledger.api.platform.Endpoints;
import com.qiledger.api.platform.Problems;
import com.qiledger.api.provider.ProviderClient;
import com.qiledger.command.messages.debt.PartnerCallKind;
import com.qiledger.command.messages.debt.PartnerCallReceipt;
import com.qiledger.command.messages.debt.PartnerCallRejected;
import com.qiledger.command.messages.debt.RequestDisbursementDateChange;
import com.qiledger.command.messages.debt.RequestPermanentCancellation;
import com.qiledger.query.debt.FindPartnerRequest;
import com.qiledger.query.debt.FindPartnerRequests;
import com.qiledger.query.debt.PartnerRequestView;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The operator's partner calls on a debt (issue 22). Asking is a command on the {@code Debt} aggregate,
 * answered {@code 202} with the request id once its event is committed; nothing is sent here: the
 * {@link PartnerCallSender} sends it after the commit. {@code Idempotency-Key} names the request for
 * good: the same key on the same debt answers the first request again and appends nothing.
 */
@RestController
@RequestMapping("/api/v1/debts/{key}")
public class PartnerCallController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final int MAX_IDEMPOTENCY_KEY = 255;

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final ProviderClient provider;
    private final Scheduler blocking;
    private final Clock clock;

    public PartnerCallController(CommandGateway commands, QueryGateway queries, ProviderClient provider,
                                 Scheduler blockingScheduler, Clock clock) {
        this.commands = commands;
        this.queries = queries;
        this.provider = provider;
        this.blocking = blockingScheduler;
        this.clock = clock;
    }

    @PostMapping("/cancel-permanently")
    public Mono<ResponseEntity<Object>> cancelPermanently(@PathVariable String key,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestBody(required = false) byte[] body, ServerWebExchange exchange) {
        return ask(key, PartnerCallKind.CANCEL_PERMANENTLY, idempotencyKey, exchange, (who) -> {
            String reason = PartnerCallBodies.reason(body);
            return (id, at) -> new RequestPermanentCancellation(key, id, idempotencyKey, who, at, reason);
        });
    }

    @PostMapping("/change-disbursement-date")
    public Mono<ResponseEntity<Object>> changeDisbursementDate(@PathVariable String key,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestBody(required = false) byte[] body, ServerWebExchange exchange) {
        return ask(key, PartnerCallKind.CHANGE_DISBURSEMENT_DATE, idempotencyKey, exchange, (who) -> {
            PartnerCallBodies.DateChange change = PartnerCallBodies.dateChange(body);
            return (id, at) -> new RequestDisbursementDateChange(key, id, idempotencyKey, who, at, change.date(),
                    change.accounts(), change.providerBody());
        });
    }

    @GetMapping("/requests")
    public Mono<ResponseEntity<Object>> requests(@PathVariable String key) {
        return Endpoints.blocking(blocking, () -> {
            List<PartnerRequestView> calls = queries.query(new FindPartnerRequests(key),
                    ResponseTypes.multipleInstancesOf(PartnerRequestView.class)).join();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("debt_key", key);
            answer.put("requests", calls);
            return ResponseEntity.ok(answer);
        });
    }

    @GetMapping("/requests/{id}")
    public Mono<ResponseEntity<Object>> request(@PathVariable String key, @PathVariable String id) {
        return Endpoints.blocking(blocking, () -> queries.query(new FindPartnerRequest(key, id),
                        ResponseTypes.optionalInstanceOf(PartnerRequestView.class)).join()
                .<ResponseEntity<Object>>map(ResponseEntity::ok)
                .orElseGet(() -> Problems.of(HttpStatus.NOT_FOUND, "not-found", "request " + id + " of debt " + key
                        + " is not known to the ledger")));
    }

    /** Builds the command from who asks, its request id and time; a {@link PartnerCallBodies.BadField} is a 400. */
    @FunctionalInterface
    interface Asking {
        Object command(String requestId, Instant at);
    }

    private Mono<ResponseEntity<Object>> ask(String key, PartnerCallKind kind, String idempotencyKey,
                                             ServerWebExchange exchange, Function<String, Asking> asking) {
        String missing = provider.missingSetting();
        if (missing != null) {
            return Mono.just(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "provider-not-configured",
                    "calls to the provider are off: " + missing + " is not set", Map.of("setting", missing)));
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY)) {
            return Mono.just(badField(IDEMPOTENCY_KEY, "the Idempotency-Key header must have 1 to "
                    + MAX_IDEMPOTENCY_KEY + " characters"));
        }
        return exchange.getPrincipal().map(Principal::getName).defaultIfEmpty("anonymous")
                .flatMap(who -> Endpoints.blocking(blocking, () -> {
                    Asking build;
                    try {
                        build = asking.apply(who);
                    } catch (PartnerCallBodies.BadField bad) {
                        return badField(bad.field, bad.getMessage());
                    }
                    String requestId = idempotencyKey == null ? UUID.randomUUID().toString()
                            : UUID.nameUUIDFromBytes((key + "\u0000" + idempotencyKey).getBytes(StandardCharsets.UTF_8))
                                    .toString();
                    return send(key, kind, build.command(requestId, clock.instant()));
                }));
    }

    private ResponseEntity<Object> send(String key, PartnerCallKind kind, Object command) {
        PartnerCallReceipt receipt;
        try {
            receipt = sendOnce(command);
        } catch (ConcurrencyException raced) {
            // another fact about this debt was appended meanwhile: the rules are checked again on it
            receipt = sendOnce(command);
        } catch (AggregateNotFoundException unknown) {
            return Problems.of(HttpStatus.NOT_FOUND, "not-found", "debt " + key + " is not known to the ledger");
        } catch (PartnerCallRejected rejected) {
            return switch (rejected.reason()) {
                case INVALID -> badField(rejected.field(), rejected.getMessage());
                case FINAL -> Problems.of(HttpStatus.CONFLICT, "debt-final", rejected.getMessage());
                case IN_FLIGHT -> Problems.of(HttpStatus.CONFLICT, "cancellation-in-flight", rejected.getMessage());
                case IDEMPOTENCY_KEY_REUSED -> Problems.of(HttpStatus.CONFLICT, "idempotency-key-reused",
                        rejected.getMessage());
            };
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("request_id", receipt.requestId());
        answer.put("debt_key", key);
        answer.put("kind", kind.providerName());
        answer.put("repeated", !receipt.created());
        URI location = URI.create("/api/v1/debts/" + encode(key) + "/requests/" + receipt.requestId());
        answer.put("location", location.toString());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(location).body(answer);
    }

    private PartnerCallReceipt sendOnce(Object command) {
        return commands.sendAndWait(command);
    }

    private static ResponseEntity<Object> badField(String field, String detail) {
        return Problems.of(HttpStatus.BAD_REQUEST, "bad-field", detail, Map.of("field", field));
    }

    private static String encode(String key) {
        return java.net.URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
