package com.qiledger.api.cluster;

import com.qiledger.api.platform.Endpoints;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code GET /api/v1/nodes}: the service nodes sharing this database (live while their heartbeat is
 * recent), which one answered, and the projection segments each one claims.
 */
@RestController
public class NodesController {

    private final FairShare fairShare;
    private final Scheduler blocking;

    public NodesController(FairShare fairShare, Scheduler blockingScheduler) {
        this.fairShare = fairShare;
        this.blocking = blockingScheduler;
    }

    @GetMapping("/api/v1/nodes")
    public Mono<ResponseEntity<Object>> nodes() {
        return Endpoints.blocking(blocking, () -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("answered_by", FairShare.NODE_ID);
            answer.put("nodes", fairShare.nodes());
            return ResponseEntity.ok(answer);
        });
    }
}
