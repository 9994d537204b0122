package com.qiledger.api.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qiledger.api.platform.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The lean webhook route (issue 20): {@code POST /webhooks/qitech} is answered by the HTTP handler
 * itself, before WebFlux builds an exchange, runs its web filters (Spring Security's chain, the
 * keep-alive guard's thread hop, the observation filter) and maps a handler. A delivery authenticates
 * with the provider's signature, never with a bearer token, so nothing in that chain applies to it;
 * measured, the chain and the handler's result encoding cost about a third of the service's CPU per
 * webhook. What remains: the body read once as bytes on the event loop, one hop to a delivery
 * worker where the signature is checked and the delivery applied (the same
 * {@link WebhookController#answer} the controller serves, so both agree byte for byte), and the
 * answer written as JSON.
 *
 * <p>Every other request, and any other method on this path, goes to WebFlux as before. Answers
 * that need no worker (415, 413 by {@code Content-Length}) are written from another thread than
 * the event loop, for the reason {@link com.qiledger.api.platform.KeepAliveGuard} gives.
 *
 * <p>{@code ledger.webhook.lean-route=false} serves the webhook through WebFlux's controller instead
 * (for comparison in the benchmark).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
@ConditionalOnProperty(name = "ledger.webhook.lean-route", havingValue = "true", matchIfMissing = true)
public class WebhookRoute implements HttpHandlerDecoratorFactory {

    static final String PATH = "/webhooks/qitech";
    private static final Logger log = LoggerFactory.getLogger(WebhookRoute.class);

    private final WebhookController controller;
    private final ObjectMapper json;

    public WebhookRoute(WebhookController controller, ObjectMapper json) {
        this.controller = controller;
        this.json = json;
    }

    @Override
    public HttpHandler apply(HttpHandler webFlux) {
        return (request, response) -> isDelivery(request) ? receive(request, response)
                : webFlux.handle(request, response);
    }

    private static boolean isDelivery(ServerHttpRequest request) {
        return request.getMethod() == HttpMethod.POST && PATH.equals(request.getPath().pathWithinApplication().value());
    }

    private Mono<Void> receive(ServerHttpRequest request, ServerHttpResponse response) {
        return controller.answer(request)
                .onErrorResume(e -> {
                    log.error("webhook route failed", e);
                    return Mono.just(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                            "the delivery could not be answered; nothing is acknowledged, resend later"));
                })
                // the worker's answers are written from the worker (the one hop); an answer made on the
                // event loop (refused before the body was read) is written from another thread
                .flatMap(answer -> Schedulers.isInNonBlockingThread()
                        ? Mono.defer(() -> write(response, answer)).subscribeOn(Schedulers.parallel())
                        : write(response, answer));
    }

    private Mono<Void> write(ServerHttpResponse response, ResponseEntity<Object> answer) {
        byte[] body;
        try {
            body = answer.getBody() == null ? new byte[0] : json.writeValueAsBytes(answer.getBody());
        } catch (JsonProcessingException e) {
            return Mono.error(e);
        }
        response.setStatusCode(answer.getStatusCode());
        response.getHeaders().putAll(answer.getHeaders());
        if (response.getHeaders().getContentType() == null && body.length > 0) {
            response.getHeaders().setContentType(org.springframework.http.MediaType.APPLICATION_JSON);
        }
        response.getHeaders().setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
