package com.qiledger.api.partner;

import com.qiledger.api.platform.Endpoints;
import com.qiledger.api.platform.Problems;
import com.qiledger.api.platform.RequestParams;
import com.qiledger.query.debt.FindRecentPartnerRequests;
import com.qiledger.query.debt.PartnerRequestView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code GET /api/v1/partner-requests?state=&limit=}: the latest partner calls of every debt, newest
 * first, for the operator who watches them all (the console's operations page); one debt's calls are at
 * {@code /api/v1/debts/{key}/requests}.
 */
@RestController
public class PartnerRequestsController {

    static final int MAX_LIMIT = 500;
    static final Set<String> STATES = Set.of("pending", "accepted", "refused", "gave_up", "confirmed");

    private final QueryGateway queries;
    private final Scheduler blocking;

    public PartnerRequestsController(QueryGateway queries, Scheduler blockingScheduler) {
        this.queries = queries;
        this.blocking = blockingScheduler;
    }

    @GetMapping("/api/v1/partner-requests")
    public Mono<ResponseEntity<Object>> recent(@RequestParam(required = false) String state,
                                               @RequestParam(defaultValue = "50") int limit) {
        if (state != null && !STATES.contains(state)) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-state",
                    "state must be one of pending, accepted, refused, gave_up, confirmed"));
        }
        Optional<ResponseEntity<Object>> badLimit = RequestParams.badLimit(limit, MAX_LIMIT);
        if (badLimit.isPresent()) {
            return Mono.just(badLimit.get());
        }
        return Endpoints.blocking(blocking, () -> {
            List<PartnerRequestView> calls = queries.query(new FindRecentPartnerRequests(state, limit),
                    ResponseTypes.multipleInstancesOf(PartnerRequestView.class)).join();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("requests", calls);
            return ResponseEntity.ok(answer);
        });
    }
}
