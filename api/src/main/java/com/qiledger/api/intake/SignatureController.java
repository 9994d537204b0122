package com.qiledger.api.intake;

import com.qiledger.api.platform.Endpoints;
import com.qiledger.api.platform.LedgerProperties;
import com.qiledger.api.platform.Problems;
import java.security.interfaces.ECPublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code GET /api/v1/receipts/{receipt}/signature} (auditor, issue 21): the provider's signature kept
 * with a delivery, verified again now against the configured provider key ({@code valid}), or why not.
 */
@RestController
public class SignatureController {

    private final Receipts receipts;
    private final Scheduler blocking;
    private final ECPublicKey providerKey;
    private final String clientKey;

    public SignatureController(Receipts receipts, Scheduler blockingScheduler, LedgerProperties properties) {
        this.receipts = receipts;
        this.blocking = blockingScheduler;
        LedgerProperties.Webhook webhook = properties.webhook();
        this.providerKey = StringUtils.hasText(webhook.publicKey()) ? StoredSignature.providerKey(webhook.publicKey())
                : null;
        this.clientKey = webhook.clientKey();
    }

    @GetMapping("/api/v1/receipts/{receipt}/signature")
    public Mono<ResponseEntity<Object>> signature(@PathVariable String receipt) {
        Optional<UUID> id = Endpoints.uuid(receipt);
        if (id.isEmpty()) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-receipt-id", "receipt ids are UUIDs"));
        }
        return Endpoints.blocking(blocking, () -> {
            Optional<Receipts.ReceiptRecord> found = receipts.find(id.get());
            if (found.isEmpty()) {
                return Problems.of(HttpStatus.NOT_FOUND, "not-found", "receipt " + receipt + " is not known to the "
                        + "ledger");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("receipt", id.get());
            body.put("scheme", QiTechEs512Authentication.SCHEME);
            Optional<StoredSignature> kept = receipts.signature(id.get());
            body.put("stored", kept.isPresent());
            body.put("method", kept.map(StoredSignature::method).orElse(null));
            body.put("uri", kept.map(StoredSignature::uri).orElse(null));
            if (kept.isEmpty()) {
                answer(body, false, "not_stored", "no provider signature was kept with this delivery (received "
                        + "without qitech-es512, or before the ledger kept signatures)");
            } else if (providerKey == null || !StringUtils.hasText(clientKey)) {
                answer(body, null, "no_key", "the service has no provider key to verify with "
                        + "(ledger.webhook.public-key and ledger.webhook.client-key)");
            } else {
                Optional<DeliveryAuthenticator.Refusal> refusal = kept.get().reverify(providerKey, clientKey,
                        found.get().body());
                if (refusal.isEmpty()) {
                    answer(body, true, null, "the stored signature verifies the stored body under the provider's "
                            + "key");
                } else {
                    answer(body, false, refusal.get().check(), refusal.get().detail());
                }
            }
            return ResponseEntity.ok(body);
        });
    }

    private static void answer(Map<String, Object> body, Boolean valid, String check, String reason) {
        body.put("valid", valid);
        body.put("check", check);
        body.put("reason", reason);
    }
}
