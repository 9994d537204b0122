package com.qiledger.api.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.Collections;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The HTTP side of {@link AccessRules}: a stateless bearer-token API (no session, no form login, no
 * HTTP basic, no CSRF: nothing rides on cookies). A missing or unknown token is a 401
 * problem+json with {@code WWW-Authenticate: Bearer}; a known token of the wrong role a 403.
 * Open paths (health, the OpenAPI description, the webhook intake, which has the provider's own
 * signature scheme) never look at the {@code Authorization} header.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableWebFluxSecurity
public class WebSecurityConfiguration {

    static final String REALM = "qi-ledger";
    private static final String BEARER = "Bearer";

    /** Also keeps Spring Boot from creating a default user with a generated password. */
    @Bean
    public ReactiveAuthenticationManager bearerTokenAuthenticationManager(ApiAccess access) {
        BearerTokens tokens = access.tokens();
        return authentication -> {
            Set<Role> roles = authentication.getCredentials() instanceof String token
                    ? tokens.rolesOf(token) : Collections.emptySet();
            if (roles.isEmpty()) {
                return Mono.error(new BadCredentialsException("the bearer token is not valid"));
            }
            return Mono.just(BearerAuthentication.recognised(roles));
        };
    }

    @Bean
    public SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, ApiAccess access,
                                              ReactiveAuthenticationManager bearerTokenAuthenticationManager,
                                              ObjectMapper objectMapper) {
        ProblemAnswers answers = new ProblemAnswers(objectMapper);
        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .exceptionHandling(handling -> handling
                        .authenticationEntryPoint(answers::unauthorized)
                        .accessDeniedHandler((exchange, denied) -> answers.forbidden(exchange)))
                .authorizeExchange(exchanges -> exchanges.anyExchange().access(authorization(access)));
        if (!access.open()) {
            http.addFilterAt(bearerFilter(bearerTokenAuthenticationManager, answers),
                    SecurityWebFiltersOrder.AUTHENTICATION);
        }
        return http.build();
    }

    private static AuthenticationWebFilter bearerFilter(ReactiveAuthenticationManager manager, ProblemAnswers answers) {
        AuthenticationWebFilter filter = new AuthenticationWebFilter(manager);
        filter.setServerAuthenticationConverter(bearerToken());
        filter.setRequiresAuthenticationMatcher(exchange -> decide(exchange).open()
                ? ServerWebExchangeMatcher.MatchResult.notMatch() : ServerWebExchangeMatcher.MatchResult.match());
        filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(answers::unauthorized));
        filter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        return filter;
    }

    /**
     * {@code Authorization: Bearer <token>} (the scheme in any case); any other or no scheme is "no
     * token". {@code Bearer} with nothing after it is a token, an empty one, so it is refused as invalid.
     */
    static ServerAuthenticationConverter bearerToken() {
        return exchange -> {
            String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
            if (header == null) {
                return Mono.empty();
            }
            String value = header.strip();
            int space = value.indexOf(' ');
            String scheme = space < 0 ? value : value.substring(0, space);
            if (!BEARER.equalsIgnoreCase(scheme)) {
                return Mono.empty();
            }
            return Mono.just(BearerAuthentication.presented(space < 0 ? "" : value.substring(space + 1).strip()));
        };
    }

    private static ReactiveAuthorizationManager<AuthorizationContext> authorization(ApiAccess access) {
        return (authentication, context) -> {
            AccessRules.Access rule = decide(context.getExchange());
            return authentication.filter(Authentication::isAuthenticated)
                    .map(WebSecurityConfiguration::roles)
                    .defaultIfEmpty(Collections.emptySet())
                    .map(held -> new AuthorizationDecision(access.allows(rule, held)));
        };
    }

    static AccessRules.Access decide(ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        return AccessRules.STANDARD.decide(request.getMethod(), request.getPath().pathWithinApplication(),
                request.getQueryParams());
    }

    private static Set<Role> roles(Authentication authentication) {
        return authentication instanceof BearerAuthentication bearer ? bearer.roles() : Collections.emptySet();
    }

    /** The 401 and 403 answers, in the problem+json shape of {@link Problems}. */
    record ProblemAnswers(ObjectMapper mapper) {

        Mono<Void> unauthorized(ServerWebExchange exchange, AuthenticationException failure) {
            boolean presented = failure instanceof BadCredentialsException;
            String challenge = "Bearer realm=\"" + REALM + "\""
                    + (presented ? ", error=\"invalid_token\", error_description=\"the bearer token is not valid\"" : "");
            String detail = presented
                    ? "the bearer token is not valid" + needs(exchange)
                    : "this request needs Authorization: Bearer <token>" + needs(exchange);
            return write(exchange, HttpStatus.UNAUTHORIZED, presented ? "invalid-token" : "missing-token", detail,
                    challenge);
        }

        Mono<Void> forbidden(ServerWebExchange exchange) {
            AccessRules.Access rule = decide(exchange);
            String needed = rule.denied() ? "no role may make this request"
                    : "this request needs role " + labels(rule.roles());
            return exchange.getPrincipal().map(Object.class::cast).defaultIfEmpty(needed)
                    .map(principal -> principal instanceof BearerAuthentication bearer
                            ? needed + "; the token is for " + labels(bearer.roles()) : needed)
                    .flatMap(detail -> write(exchange, HttpStatus.FORBIDDEN, "insufficient-role", detail,
                            "Bearer realm=\"" + REALM + "\", error=\"insufficient_scope\""));
        }

        private static String needs(ServerWebExchange exchange) {
            AccessRules.Access rule = decide(exchange);
            return rule.denied() || rule.open() ? "" : " (role " + labels(rule.roles()) + ")";
        }

        private Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String type, String detail,
                                 String challenge) {
            ServerHttpResponse response = exchange.getResponse();
            byte[] body;
            try {
                ProblemDetail problem = (ProblemDetail) Problems.of(status, type, detail).getBody();
                // as Spring fills it in on the controllers' problems
                problem.setInstance(URI.create(exchange.getRequest().getPath().pathWithinApplication().value()));
                body = mapper.writeValueAsBytes(problem);
            } catch (JsonProcessingException e) {
                return Mono.error(e);
            }
            response.setStatusCode(status);
            response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
            return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
        }

        private static String labels(Set<Role> roles) {
            return roles.stream().map(Role::label).collect(Collectors.joining(" or "));
        }
    }
}
