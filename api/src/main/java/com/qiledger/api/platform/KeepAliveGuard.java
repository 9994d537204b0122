package com.qiledger.api.platform;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Works around reactor/reactor-netty#4361 (fixed by #4347, in no release yet; Boot 3.5 ships
 * 1.2.x): on a keep-alive connection, a request that arrives while the previous one (answered from
 * the blocking pool) is still terminating is buffered, and if that buffered request is then answered
 * synchronously on the event loop (a 400, 401, 404 produced at once), the connection stops reading
 * and the next request on it hangs forever. Starting every exchange on another thread means no
 * exchange ever completes re-entrantly inside the dispatch of a buffered request, which is the
 * condition the bug needs. It costs one thread hop per request. Remove once the fix is released.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class KeepAliveGuard implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return Mono.defer(() -> chain.filter(exchange)).subscribeOn(Schedulers.parallel());
    }
}
