package com.qiledger.api.intake;

import com.qiledger.api.platform.Endpoints;
import com.qiledger.api.platform.Problems;
import com.qiledger.api.platform.RequestParams;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The operator's side of the intake: the quarantine, oldest first and paged, and the re-drive of
 * one quarantined delivery through the current code.
 */
@RestController
@RequestMapping("/api/v1/receipts")
public class QuarantineController {

    static final int MAX_PAGE = 500;

    private final Receipts receipts;
    private final IntakeService intake;
    private final Scheduler blocking;

    public QuarantineController(Receipts receipts, IntakeService intake, Scheduler blockingScheduler) {
        this.receipts = receipts;
        this.intake = intake;
        this.blocking = blockingScheduler;
    }

    /**
     * {@code GET /api/v1/receipts?outcome=quarantined&limit=50&after=<receipt>}: receipts oldest
     * first, without their bodies (see {@code /receipts/{id}}); {@code next_after} continues the list.
     */
    @GetMapping
    public Mono<ResponseEntity<Object>> list(@RequestParam(required = false) String outcome,
                                             @RequestParam(required = false) String after,
                                             @RequestParam(defaultValue = "50") int limit) {
        if (outcome != null && !Receipts.OUTCOMES.contains(outcome)) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-outcome",
                    "outcome must be one of applied, duplicate, quarantined"));
        }
        Optional<ResponseEntity<Object>> badLimit = RequestParams.badLimit(limit, MAX_PAGE);
        if (badLimit.isPresent()) {
            return Mono.just(badLimit.get());
        }
        Optional<UUID> cursor = after == null ? Optional.empty() : uuid(after);
        if (after != null && cursor.isEmpty()) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-receipt-id", "after must be a receipt id"));
        }
        return blocking(() -> {
            List<Receipts.ReceiptRecord> page = receipts.page(outcome, cursor.orElse(null), limit);
            List<Map<String, Object>> items = page.stream().map(Receipts.ReceiptRecord::summary).toList();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", items);
            body.put("next_after", page.size() == limit ? page.get(page.size() - 1).receipt() : null);
            return ResponseEntity.ok(body);
        });
    }

    /** {@code POST /api/v1/receipts/{receipt}/redrive}: the answer has the intake's shape. */
    @PostMapping("/{receipt}/redrive")
    public Mono<ResponseEntity<Object>> redrive(@PathVariable String receipt, ServerWebExchange exchange) {
        Optional<UUID> id = uuid(receipt);
        if (id.isEmpty()) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-receipt-id", "receipt ids are UUIDs"));
        }
        return exchange.getPrincipal().map(Principal::getName).defaultIfEmpty("anonymous")
                .flatMap(who -> blocking(() -> {
                    try {
                        return intake.redrive(id.get(), who).<ResponseEntity<Object>>map(ResponseEntity::ok)
                                .orElseGet(() -> Problems.of(HttpStatus.NOT_FOUND, "not-found",
                                        "receipt " + receipt + " is not known to the ledger"));
                    } catch (IntakeService.NotQuarantinedException e) {
                        return Problems.of(HttpStatus.CONFLICT, "not-quarantined", e.getMessage());
                    } catch (StoreUnavailableException e) {
                        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable",
                                "the store cannot commit right now; nothing changed, retry later");
                    }
                }));
    }

    private Mono<ResponseEntity<Object>> blocking(Callable<ResponseEntity<Object>> work) {
        return Endpoints.blocking(blocking, work);
    }

    private static Optional<UUID> uuid(String text) {
        return Endpoints.uuid(text);
    }
}
