package com.qiledger.api.platform;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** What every read and operator endpoint does alike. */
public final class Endpoints {

    private Endpoints() {
    }

    /** Runs blocking work (JDBC, Axon) on the bounded scheduler; a saturated one is a fast 503. */
    public static Mono<ResponseEntity<Object>> blocking(Scheduler scheduler, Callable<ResponseEntity<Object>> work) {
        return Mono.fromCallable(work)
                .subscribeOn(scheduler)
                .onErrorResume(RejectedExecutionException.class, e -> Mono.just(Problems.of(
                        HttpStatus.SERVICE_UNAVAILABLE, "saturated", "the service is saturated; retry shortly")));
    }

    public static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
