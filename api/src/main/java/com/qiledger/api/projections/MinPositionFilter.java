package com.qiledger.api.projections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qiledger.api.platform.LedgerProperties;
import com.qiledger.api.platform.Problems;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code minPosition=<n>} on every read under {@code /api/v1}: the read is answered only once every
 * read model has processed event position {@code n} (read-your-writes after a webhook's 200, whose
 * answer carries that position). The wait is bounded by {@code ledger.query.max-wait}; past it the
 * answer is 503 with {@code Retry-After}. The waiting runs on the blocking scheduler, never on the
 * event loop. One filter serves every read endpoint, present and future.
 */
@Component
@Order(10)
public class MinPositionFilter implements WebFilter {

    static final String PARAMETER = "minPosition";

    private final ReadModelOperations operations;
    private final Scheduler blocking;
    private final Duration maxWait;
    private final ObjectMapper json;

    public MinPositionFilter(ReadModelOperations operations, Scheduler blockingScheduler, LedgerProperties properties,
                             ObjectMapper json) {
        this.operations = operations;
        this.blocking = blockingScheduler;
        this.maxWait = properties.query().maxWait();
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String value = exchange.getRequest().getQueryParams().getFirst(PARAMETER);
        if (value == null || !exchange.getRequest().getPath().value().startsWith("/api/v1/")) {
            return chain.filter(exchange);
        }
        long position;
        try {
            position = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            position = -2;
        }
        if (position < 0) {
            return write(exchange.getResponse(), Problems.of(HttpStatus.BAD_REQUEST, "bad-min-position",
                    "minPosition must be a global event position (a whole number >= 0), not '" + value + "'"));
        }
        long wanted = position;
        return Mono.fromCallable(() -> operations.awaitProcessed(wanted, maxWait))
                .subscribeOn(blocking)
                .onErrorResume(RejectedExecutionException.class, e -> Mono.just(false))
                .flatMap(reached -> reached ? chain.filter(exchange) : write(exchange.getResponse(),
                        Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "position-not-reached",
                                "the read models have not processed position " + wanted + " within "
                                        + maxWait.toMillis() + " ms; retry shortly")));
    }

    private Mono<Void> write(ServerHttpResponse response, ResponseEntity<Object> problem) {
        response.setStatusCode(problem.getStatusCode());
        response.getHeaders().putAll(problem.getHeaders());
        if (problem.getStatusCode().value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            response.getHeaders().set("Retry-After", "1");
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem.getBody());
        } catch (JsonProcessingException e) {
            body = new byte[0];
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
