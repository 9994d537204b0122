package com.qiledger.api.audit;

import com.qiledger.api.platform.Endpoints;
import com.qiledger.api.platform.Problems;
import com.qiledger.api.platform.RequestParams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/** The auditor's evidence (issue 21): signed digests, the ledger's public key, and proofs of one entity. */
@RestController
@RequestMapping("/api/v1/audit")
public class AuditController {

    static final int MAX_PAGE = 500;

    private final Digests digests;
    private final JdbcClient jdbc;
    private final Scheduler blocking;

    public AuditController(Digests digests, JdbcClient jdbc, Scheduler blockingScheduler) {
        this.digests = digests;
        this.jdbc = jdbc;
        this.blocking = blockingScheduler;
    }

    @GetMapping("/digest")
    public Mono<ResponseEntity<Object>> digest() {
        return blocking(() -> {
            try {
                return ResponseEntity.ok(digests.create().toJson());
            } catch (Digests.DigestBusyException e) {
                return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "digest-busy", e.getMessage());
            }
        });
    }

    @GetMapping("/digests")
    public Mono<ResponseEntity<Object>> digests(@RequestParam(required = false) Long before,
                                                @RequestParam(defaultValue = "50") int limit) {
        Optional<ResponseEntity<Object>> badLimit = RequestParams.badLimit(limit, MAX_PAGE);
        if (badLimit.isPresent()) {
            return Mono.just(badLimit.get());
        }
        return blocking(() -> {
            List<Digest> page = digests.page(before, limit);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", page.stream().map(Digest::toJson).toList());
            body.put("next_before", page.size() == limit ? page.get(page.size() - 1).id() : null);
            return ResponseEntity.ok(body);
        });
    }

    @GetMapping("/public-key")
    public Mono<ResponseEntity<Object>> publicKey() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("algorithm", Digest.ALGORITHM);
        body.put("key_id", digests.key().keyId());
        body.put("public_key_pem", digests.key().publicKeyPem());
        return Mono.just(ResponseEntity.ok(body));
    }

    @GetMapping("/proof/{entity}/{key}")
    public Mono<ResponseEntity<Object>> proof(@PathVariable String entity, @PathVariable String key) {
        String stream = Entities.streamOf(entity, key);
        if (stream == null) {
            return Mono.just(Problems.of(HttpStatus.NOT_FOUND, "unknown-entity", "entity must be one of bank-slips, "
                    + "dda-bank-slips, installments, conciliation-batches, debts"));
        }
        return blocking(() -> proofOf(entity, key, stream));
    }

    private ResponseEntity<Object> proofOf(String entity, String key, String stream) {
        List<Verification.EventRow> events = jdbc.sql("""
                        SELECT globalindex, aggregateidentifier, sequencenumber, type, eventidentifier, metadata,
                            payload, payloadrevision, payloadtype, timestamp
                        FROM domainevententry WHERE aggregateidentifier = :stream ORDER BY sequencenumber
                        """)
                .param("stream", stream)
                .query((rs, n) -> new Verification.EventRow(rs.getLong(1), rs.getString(2), rs.getLong(3),
                        rs.getString(4), rs.getString(5), rs.getBytes(6), rs.getBytes(7), rs.getString(8),
                        rs.getString(9), rs.getString(10)))
                .list();
        List<Verification.LinkRow> links = jdbc.sql("""
                        SELECT aggregate_id, seq, global_index, event_id, receipt_id, receipt_sha256, payload_sha256,
                            hash
                        FROM audit_chain WHERE aggregate_id = :stream ORDER BY seq
                        """)
                .param("stream", stream)
                .query((rs, n) -> new Verification.LinkRow(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        rs.getString(4), rs.getString(5), rs.getBytes(6), rs.getBytes(7), rs.getBytes(8)))
                .list();
        if (links.isEmpty()) {
            return Problems.of(HttpStatus.NOT_FOUND, "not-found", entity + " " + key + " has no chained event");
        }
        Map<Long, Verification.EventRow> bySeq = new LinkedHashMap<>();
        events.forEach(e -> bySeq.put(e.seq(), e));
        List<Map<String, Object>> chain = new ArrayList<>();
        for (Verification.LinkRow l : links) {
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("sequence", l.seq());
            link.put("position", l.globalIndex());
            link.put("event_id", l.eventId());
            link.put("receipt", l.receiptId());
            link.put("receipt_sha256", ChainEncoding.hex(l.receiptSha256()));
            link.put("payload_sha256", ChainEncoding.hex(l.payloadSha256()));
            Verification.EventRow e = bySeq.get(l.seq());
            link.put("canonical", e == null ? null : ChainEncoding.hex(ChainEncoding.canonical(Verification.fields(e,
                    ChainEncoding.sha256(e.payload()), Verification.receiptOf(e), l.receiptSha256()))));
            link.put("hash", ChainEncoding.hex(l.hash()));
            chain.add(link);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entity", entity);
        body.put("key", key);
        body.put("stream", stream);
        body.put("chain_version", ChainEncoding.VERSION);
        body.put("links", chain);
        Optional<Digest> latest = digests.latest();
        body.put("digest", latest.map(Digest::toJson).orElse(null));
        body.put("inclusion", latest.map(d -> inclusion(d, stream)).orElse(null));
        return ResponseEntity.ok(body);
    }

    /** The Merkle path of the stream's head as the digest covered it, or null when it did not cover it. */
    private Map<String, Object> inclusion(Digest digest, String stream) {
        Digests.Leaves leaves = digests.leavesOf(digest);
        Integer index = leaves.indexOf().get(stream);
        if (index == null) {
            return null;
        }
        long seq = leaves.headOf().get(stream);
        byte[] link = jdbc.sql("SELECT hash FROM audit_chain WHERE aggregate_id = :stream AND seq = :seq")
                .param("stream", stream).param("seq", seq).query(byte[].class).single();
        Map<String, Object> inclusion = new LinkedHashMap<>();
        inclusion.put("head_sequence", seq);
        inclusion.put("leaf", ChainEncoding.hex(DigestLeaves.chainLeaf(stream, seq, link)));
        inclusion.put("leaf_index", index);
        inclusion.put("tree_size", leaves.hashes().size());
        inclusion.put("path", MerkleTree.path(leaves.hashes(), index).stream().map(ChainEncoding::hex).toList());
        return inclusion;
    }

    private Mono<ResponseEntity<Object>> blocking(Callable<ResponseEntity<Object>> work) {
        return Endpoints.blocking(blocking, work);
    }
}
