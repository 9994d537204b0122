package com.qiledger.api.console;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The web console (issue 23): one HTML shell for every page address, so each page has its own URL
 * to bookmark ({@code /console/{entity}/{key}}, {@code /console/receipts/{receipt}},
 * {@code /console/reconciliation?from&to}, {@code /console/ledger?from&to}, {@code /console/operations}),
 * and its scripts and styles under {@code /console/assets/}. The shell holds no data: the console's
 * scripts read everything from {@code /api/v1} with the bearer token the person signed in with.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleRoutes {

    static final String ASSETS = "/console/assets/";

    @Bean
    RouterFunction<ServerResponse> consoleRouter() {
        byte[] shell = read("console/index.html");
        RequestPredicate pages = GET("/console").or(GET("/console/")).or(GET("/console/{page}"))
                .or(GET("/console/{entity}/{key}"));
        return RouterFunctions.resources(ASSETS + "**", new ClassPathResource("console/assets/"))
                .and(RouterFunctions.route(pages.and(path(ASSETS + "**").negate()),
                        request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(shell)));
    }

    private static byte[] read(String resource) {
        try (InputStream in = new ClassPathResource(resource).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the console's " + resource + " is missing from the build", e);
        }
    }
}
