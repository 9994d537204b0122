package com.qiledger.api.projections;

import com.qiledger.api.platform.Endpoints;
import com.qiledger.api.platform.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** The operator's view of the read models: positions, lag, claims, and the rebuild. */
@RestController
@RequestMapping("/api/v1/projections")
public class ProjectionsController {

    private final ReadModelOperations operations;
    private final Scheduler blocking;

    public ProjectionsController(ReadModelOperations operations, Scheduler blockingScheduler) {
        this.operations = operations;
        this.blocking = blockingScheduler;
    }

    @GetMapping
    public Mono<ResponseEntity<Object>> status() {
        return Endpoints.blocking(blocking, () -> ResponseEntity.ok(operations.status()));
    }

    /** Starts rebuilding every read model from the event store: 202, progress at {@code GET} above. */
    @PostMapping("/rebuild")
    public Mono<ResponseEntity<Object>> rebuild() {
        return Endpoints.blocking(blocking, () -> {
            try {
                return ResponseEntity.status(HttpStatus.ACCEPTED)
                        .header("Location", "/api/v1/projections")
                        .body(operations.startRebuild());
            } catch (IllegalStateException e) {
                return Problems.of(HttpStatus.CONFLICT, "rebuild-refused", e.getMessage());
            }
        });
    }
}
