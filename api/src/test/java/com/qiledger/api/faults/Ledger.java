package com.qiledger.api.faults;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The provider's side of the bargain: every delivery answered 200 is recorded here, and the audit
 * checks each against the store itself (SQL on receipt and domainevententry): its receipt exists for
 * the same body with outcome applied or duplicate, and an applied receipt has the events it caused
 * (events carry their receipt id in their metadata). It also checks that nothing is half-applied: no
 * applied receipt without events, no event without an applied receipt.
 */
final class Ledger {

    /** One acknowledged delivery: the body, and the answer's receipt and outcome. */
    record Ack(byte[] body, UUID receipt, String outcome) {
    }

    /** What the audit found; {@code lost} lists acknowledged deliveries missing from the store. */
    record Audit(int acknowledged, List<String> lost, List<String> halfApplied, long receipts, long events) {

        String figures() {
            return "acknowledged=" + acknowledged + " lost=" + lost.size() + " half-applied=" + halfApplied.size()
                    + " (store: " + receipts + " receipts, " + events + " events)";
        }
    }

    private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();

    /** Keeps a 200 answer; other answers acknowledge nothing. */
    void record(byte[] body, Http.Answer answer) {
        if (answer.ok()) {
            acks.add(new Ack(body, UUID.fromString(answer.text("receipt")), answer.text("outcome")));
        }
    }

    int acknowledged() {
        return acks.size();
    }

    Collection<Ack> acks() {
        return List.copyOf(acks);
    }

    Audit audit(JdbcClient jdbc) {
        record Row(byte[] sha, String outcome) {
        }
        Map<UUID, Row> receipts = new HashMap<>();
        jdbc.sql("SELECT receipt_id, body_sha256, outcome FROM receipt").query(rs -> {
            receipts.put((UUID) rs.getObject("receipt_id"), new Row(rs.getBytes("body_sha256"), rs.getString("outcome")));
        });
        Map<String, Long> eventsByReceipt = new HashMap<>();
        jdbc.sql("""
                        SELECT convert_from(metadata, 'UTF8')::jsonb ->> 'receiptId' AS receipt, count(*) AS events
                        FROM domainevententry GROUP BY 1
                        """)
                .query(rs -> {
                    eventsByReceipt.put(rs.getString("receipt"), rs.getLong("events"));
                });

        List<String> lost = new ArrayList<>();
        for (Ack ack : acks) {
            Row row = receipts.get(ack.receipt());
            String problem = row == null ? "no receipt"
                    : !Arrays.equals(row.sha(), sha256(ack.body())) ? "receipt of another body"
                    : !List.of("applied", "duplicate").contains(row.outcome()) ? "receipt is " + row.outcome()
                    : "applied".equals(ack.outcome()) && !"applied".equals(row.outcome()) ? "answered applied, stored "
                            + row.outcome()
                    : "applied".equals(row.outcome()) && eventsByReceipt.getOrDefault(ack.receipt().toString(), 0L) == 0
                            ? "applied receipt without events"
                    : null;
            if (problem != null) {
                lost.add(ack.receipt() + " (" + ack.outcome() + "): " + problem);
            }
        }

        List<String> halfApplied = new ArrayList<>();
        receipts.forEach((id, row) -> {
            if ("applied".equals(row.outcome()) && !eventsByReceipt.containsKey(id.toString())) {
                halfApplied.add("applied receipt " + id + " has no events");
            }
        });
        eventsByReceipt.forEach((receipt, count) -> {
            Row row = receipt == null ? null : receipts.get(UUID.fromString(receipt));
            if (row == null || !"applied".equals(row.outcome())) {
                halfApplied.add(count + " events name receipt " + receipt + ", which is "
                        + (row == null ? "missing" : row.outcome()));
            }
        });
        long events = eventsByReceipt.values().stream().mapToLong(Long::longValue).sum();
        return new Audit(acks.size(), lost, halfApplied, receipts.size(), events);
    }

    static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
