package com.qiledger.api.projections;

import com.qiledger.api.platform.Endpoints;
import com.qiledger.api.platform.Problems;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** {@code GET /api/v1/dead-letters} and {@code POST /api/v1/dead-letters/{processingGroup}/retry}. */
@RestController
@RequestMapping("/api/v1/dead-letters")
public class DeadLettersController {

    private final DeadLetters deadLetters;
    private final Scheduler blocking;

    public DeadLettersController(DeadLetters deadLetters, Scheduler blockingScheduler) {
        this.deadLetters = deadLetters;
        this.blocking = blockingScheduler;
    }

    @GetMapping
    public Mono<ResponseEntity<Object>> list() {
        return Endpoints.blocking(blocking, () -> ResponseEntity.ok(deadLetters.list()));
    }

    @PostMapping("/{processingGroup}/retry")
    public Mono<ResponseEntity<Object>> retry(@PathVariable String processingGroup) {
        return Endpoints.blocking(blocking, () -> deadLetters.retry(processingGroup)
                .<ResponseEntity<Object>>map(processed -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("processing_group", processingGroup);
                    answer.put("sequences_processed", processed);
                    answer.put("remaining", deadLetters.lettersOf(processingGroup).size());
                    return ResponseEntity.ok(answer);
                })
                .orElseGet(() -> Problems.of(HttpStatus.NOT_FOUND, "not-found",
                        "no dead-letter queue for processing group " + processingGroup)));
    }
}
