package com.qiledger.api.platform;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/me}: the roles of the token presented, so a client (the web console) learns
 * what it may show without trying each call. With the API open (no token configured) every role.
 */
@RestController
public class TokenController {

    private final ApiAccess access;

    public TokenController(ApiAccess access) {
        this.access = access;
    }

    @GetMapping("/api/v1/me")
    public Mono<ResponseEntity<Object>> me(ServerWebExchange exchange) {
        return exchange.getPrincipal()
                .filter(BearerAuthentication.class::isInstance)
                .map(principal -> ((BearerAuthentication) principal).roles())
                .defaultIfEmpty(access.open() ? EnumSet.allOf(Role.class) : Set.of())
                .map(roles -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("roles", roles.stream().sorted().map(Role::label).toList());
                    body.put("open", access.open());
                    return ResponseEntity.ok(body);
                });
    }
}
