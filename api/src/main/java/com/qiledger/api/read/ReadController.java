package com.qiledger.api.read;

import com.qiledger.api.intake.Receipts;
import com.qiledger.api.platform.Endpoints;
import com.qiledger.api.platform.Problems;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** The read API of API.md: entity state, entity history and receipts. */
@RestController
@RequestMapping("/api/v1")
public class ReadController {

    private final Map<String, EntityReader> readers = new HashMap<>();
    private final QueryGateway queries;
    private final Receipts receipts;
    private final Scheduler blocking;
    private final AsOfReader asOfReader;
    private final EventHistory history;

    public ReadController(List<EntityReader> readers, QueryGateway queries, Receipts receipts,
                          Scheduler blockingScheduler, AsOfReader asOfReader, EventHistory history) {
        for (EntityReader reader : readers) {
            if (this.readers.put(reader.path(), reader) != null) {
                throw new IllegalStateException("two readers claim /api/v1/" + reader.path());
            }
        }
        this.queries = queries;
        this.receipts = receipts;
        this.blocking = blockingScheduler;
        this.asOfReader = asOfReader;
        this.history = history;
    }

    /**
     * The current state of one entity, or with {@code asOf} its state as the ledger knew it at that
     * instant (recorded time), derived from its events.
     */
    @GetMapping("/{entity}/{key}")
    public Mono<ResponseEntity<Object>> entity(@PathVariable String entity, @PathVariable String key,
                                               @RequestParam(required = false) String asOf) {
        EntityReader reader = readers.get(entity);
        if (reader == null) {
            return Mono.just(notFound("entity type " + entity));
        }
        if (asOf == null) {
            return blocking(() -> reader.find(key, queries)
                    .map(ResponseEntity::ok)
                    .orElseGet(() -> notFound(reader.noun() + " " + key)));
        }
        Instant instant;
        try {
            instant = Instant.parse(asOf.strip());
        } catch (DateTimeParseException e) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-as-of",
                    "asOf must be an ISO-8601 instant such as 2026-01-31T23:59:59Z, not '" + asOf + "'"));
        }
        return blocking(() -> asOfReader.find(reader, key, instant, queries)
                .map(state -> ResponseEntity.ok().header("X-As-Of", instant.toString()).body(state))
                .orElseGet(() -> notFound(reader.noun() + " " + key + " as of " + instant)));
    }

    /** Every event of one entity, oldest first, each with the receipt of the delivery behind it. */
    @GetMapping("/{entity}/{key}/history")
    public Mono<ResponseEntity<Object>> history(@PathVariable String entity, @PathVariable String key) {
        EntityReader reader = readers.get(entity);
        if (reader == null) {
            return Mono.just(notFound("entity type " + entity));
        }
        return blocking(() -> {
            EntityHistory history = this.history.of(reader.aggregateType(), key);
            return history.events().isEmpty() ? notFound(reader.noun() + " " + key) : ResponseEntity.ok(history);
        });
    }

    @GetMapping("/receipts/{receipt}")
    public Mono<ResponseEntity<Object>> receipt(@PathVariable String receipt) {
        Optional<UUID> id = uuid(receipt);
        if (id.isEmpty()) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-receipt-id", "receipt ids are UUIDs"));
        }
        return blocking(() -> receipts.find(id.get()).<ResponseEntity<Object>>map(r -> {
            Map<String, Object> view = new LinkedHashMap<>(r.summary());
            view.put("body_base64", Base64.getEncoder().encodeToString(r.body()));
            view.put("body", utf8(r.body()));
            view.put("redrives", receipts.redrives(r.receipt()));
            view.put("events", history.ofReceipt(r.receipt()));
            return ResponseEntity.ok(view);
        }).orElseGet(() -> notFound("receipt " + receipt)));
    }

    /** The raw body exactly as it arrived, with its original content type. */
    @GetMapping("/receipts/{receipt}/body")
    public Mono<ResponseEntity<Object>> receiptBody(@PathVariable String receipt) {
        Optional<UUID> id = uuid(receipt);
        if (id.isEmpty()) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-receipt-id", "receipt ids are UUIDs"));
        }
        return blocking(() -> receipts.find(id.get()).<ResponseEntity<Object>>map(r -> ResponseEntity.ok()
                        .contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .header("X-Original-Content-Type", r.contentType() == null ? "" : r.contentType())
                        .body(r.body()))
                .orElseGet(() -> notFound("receipt " + receipt)));
    }

    private Mono<ResponseEntity<Object>> blocking(Callable<ResponseEntity<Object>> work) {
        return Endpoints.blocking(blocking, work);
    }

    private static ResponseEntity<Object> notFound(String what) {
        return Problems.of(HttpStatus.NOT_FOUND, "not-found", what + " is not known to the ledger");
    }

    private static Optional<UUID> uuid(String text) {
        return Endpoints.uuid(text);
    }

    /** The body as text when it is valid UTF-8; otherwise only the base64 form stands. */
    private static String utf8(byte[] body) {
        var decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
        try {
            return decoder.decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
