package com.qiledger.api.completeness;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the sweeps recorded, read for the auditor and the operator (issue 28). An event belongs to the day
 * of the listing window the provider lists it under (UTC; with the default one-day windows, its day). The
 * provider's events are set against the ledger by their latest recorded callback status and the deliveries
 * that answered the resends: an event is {@code missing} while none of its callbacks is {@code sent} and no
 * delivery has arrived for any resend of it (completeness.arrival: a receipt at or after the request
 * whose body carries the event's origin key).
 */
@Component
public class CompletenessReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcClient jdbc;

    public CompletenessReport(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Report(LocalDate from, LocalDate to, ProviderEvents providerEvents, List<Missing> missing,
                         List<Resend> resendRequested) {
    }

    public record ProviderEvents(int events, int callbacks, Map<String, Integer> byCallbackStatus) {
    }

    public record Callback(String callbackKey, String callbackStatus) {
    }

    public record Missing(String eventKey, String eventType, String originKey, String callbackStatus,
                          List<Callback> callbacks, LocalDate day, Instant firstSeenAt, String resendState,
                          int resends, Instant lastResendAt) {
    }

    public record Delivery(UUID receipt, String outcome, Instant arrivedAt) {
    }

    public record Resend(UUID resendId, String eventKey, String callbackKey, String eventType, String originKey,
                         String statusSeen, String askedBy, Instant askedAt, String request, String answer,
                         Integer answerStatus, String answerBody, String answerError, Instant answeredAt,
                         Delivery delivery) {
    }

    record Latest(String eventKey, String callbackKey, String eventType, String originKey, String status,
                  Instant windowStart, Instant firstSeen) {
    }

    public Report report(LocalDate from, LocalDate to) {
        List<Latest> latest = jdbc.sql("""
                        SELECT DISTINCT ON (event_key, callback_key) event_key, callback_key, event_type, origin_key,
                            callback_status, window_start, min(seen_at) OVER (PARTITION BY event_key) AS first_seen
                        FROM completeness.callback_status WHERE window_start >= :from AND window_start < :to
                        ORDER BY event_key, callback_key, id DESC
                        """)
                .param("from", Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant()))
                .param("to", Timestamp.from(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()))
                .query((rs, n) -> new Latest(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), instant(rs, 6), instant(rs, 7)))
                .list();
        Map<String, List<Latest>> byEvent = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (Latest callback : latest) {
            byEvent.computeIfAbsent(callback.eventKey(), k -> new ArrayList<>()).add(callback);
            counts.merge(callback.status(), 1, Integer::sum);
        }
        List<Resend> resends = resends(byEvent.keySet().toArray(String[]::new));
        Map<String, List<Resend>> resendsByEvent = new LinkedHashMap<>();
        resends.forEach(r -> resendsByEvent.computeIfAbsent(r.eventKey(), k -> new ArrayList<>()).add(r));
        List<Missing> missing = new ArrayList<>();
        byEvent.forEach((eventKey, callbacks) -> {
            if (callbacks.stream().anyMatch(c -> "sent".equals(c.status()))) {
                return;
            }
            List<Resend> asked = resendsByEvent.getOrDefault(eventKey, List.of());
            if (asked.stream().anyMatch(r -> r.delivery() != null)) {
                return;
            }
            Latest first = callbacks.get(0);
            String worst = callbacks.stream().map(Latest::status).filter("failed"::equals).findFirst()
                    .orElse(first.status());
            Resend last = asked.isEmpty() ? null : asked.get(asked.size() - 1);
            String state = last == null ? "not_asked" : last.answer() == null ? "asked" : last.answer();
            missing.add(new Missing(eventKey, first.eventType(), first.originKey(), worst,
                    callbacks.stream().map(c -> new Callback(c.callbackKey(), c.status())).toList(),
                    LocalDate.ofInstant(first.windowStart(), ZoneOffset.UTC), first.firstSeen(), state, asked.size(),
                    last == null ? null : last.askedAt()));
        });
        return new Report(from, to, new ProviderEvents(byEvent.size(), latest.size(), counts), missing, resends);
    }

    private List<Resend> resends(String[] eventKeys) {
        if (eventKeys.length == 0) {
            return List.of();
        }
        return jdbc.sql("""
                        SELECT r.resend_id, r.event_key, r.callback_key, r.event_type, r.origin_key, r.status_seen,
                            r.asked_by, r.asked_at, r.request, a.outcome, a.status, a.body, a.error, a.answered_at,
                            d.receipt_id, d.outcome AS delivery_outcome, d.arrived_at
                        FROM completeness.resend_span r
                        LEFT JOIN completeness.resend_answer a ON a.resend_id = r.resend_id
                        LEFT JOIN LATERAL completeness.arrival(r.origin_key, r.asked_at, r.next_asked_at) d ON true
                        WHERE r.event_key = ANY(:keys)
                        ORDER BY r.asked_at, r.resend_id
                        """)
                .param("keys", eventKeys)
                .query((rs, n) -> new Resend(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), instant(rs, 8),
                        rs.getString(9), rs.getString(10), (Integer) rs.getObject(11), rs.getString(12),
                        rs.getString(13), instant(rs, 14),
                        rs.getObject(15) == null ? null : new Delivery(rs.getObject(15, UUID.class), rs.getString(16),
                                instant(rs, 17))))
                .list();
    }

    /** The provider's events not delivered as far as the sweeps know, over every period. */
    public record Undelivered(String eventKey, boolean failed, Instant firstSeen, Instant failedSince) {
    }

    public List<Undelivered> undelivered() {
        return jdbc.sql("""
                        WITH latest AS (
                            SELECT DISTINCT ON (event_key, callback_key) event_key, callback_key, callback_status,
                                seen_at, min(seen_at) OVER (PARTITION BY event_key) AS first_seen
                            FROM completeness.callback_status ORDER BY event_key, callback_key, id DESC),
                        open AS (
                            SELECT event_key, bool_or(callback_status = 'failed') AS failed, min(first_seen) AS first_seen,
                                min(seen_at) FILTER (WHERE callback_status = 'failed') AS failed_since
                            FROM latest GROUP BY event_key HAVING NOT bool_or(callback_status = 'sent'))
                        SELECT o.event_key, o.failed, o.first_seen, o.failed_since FROM open o
                        WHERE NOT EXISTS (SELECT 1 FROM completeness.resend_span r,
                            LATERAL completeness.arrival(r.origin_key, r.asked_at, r.next_asked_at) d
                            WHERE r.event_key = o.event_key)
                        ORDER BY o.first_seen, o.event_key
                        """)
                .query((rs, n) -> new Undelivered(rs.getString(1), rs.getBoolean(2), instant(rs, 3), instant(rs, 4)))
                .list();
    }

    public record Window(Instant start, Instant end, int pages, int events, boolean done) {
    }

    public record Problem(Instant at, String request, String outcome, Integer status, String error) {
    }

    public record Position(Instant windowStart, Instant windowEnd, int page) {
    }

    public record Sweep(UUID sweepId, String state, String startedBy, String node, Instant startedAt,
                        Instant endedAt, Instant from, Instant to, String error, int windows, int pages, int events,
                        Map<String, Integer> callbacksByStatus, int resends, Position watermark,
                        List<Window> windowsSwept, List<Problem> errors) {
    }

    public record SweepRequest(UUID requestId, String askedBy, Instant askedAt, Instant from, Instant to,
                               UUID sweepId) {
    }

    public List<Sweep> sweeps(int limit) {
        record Head(UUID id, String by, String node, Instant started, Instant from, Instant to, Instant ended,
                    String outcome, String error) {
        }
        List<Head> heads = jdbc.sql("""
                        SELECT s.sweep_id, s.started_by, s.node, s.started_at, s.range_start, s.range_end, e.ended_at,
                            e.outcome, e.error
                        FROM completeness.sweep s LEFT JOIN completeness.sweep_end e ON e.sweep_id = s.sweep_id
                        ORDER BY s.started_at DESC, s.sweep_id LIMIT :limit
                        """)
                .param("limit", limit)
                .query((rs, n) -> new Head(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        instant(rs, 4), instant(rs, 5), instant(rs, 6), instant(rs, 7), rs.getString(8),
                        rs.getString(9)))
                .list();
        List<Sweep> sweeps = new ArrayList<>();
        for (Head head : heads) {
            Map<Instant, Window> windows = new TreeMap<>();
            Map<String, Integer> counts = new TreeMap<>();
            List<Problem> problems = new ArrayList<>();
            int[] totals = new int[3];
            Position[] watermark = {null};
            jdbc.sql("""
                            SELECT window_start, window_end, page, request, recorded_at, outcome, status, events,
                                counts::text, resends, error
                            FROM completeness.page WHERE sweep_id = :id ORDER BY seq
                            """)
                    .param("id", head.id())
                    .query(rs -> {
                        Instant start = instant(rs, 1);
                        String outcome = rs.getString(6);
                        boolean read = "read".equals(outcome) || "last".equals(outcome);
                        Window before = windows.get(start);
                        int pages = (before == null ? 0 : before.pages()) + (read ? 1 : 0);
                        int events = (before == null ? 0 : before.events()) + rs.getInt(8);
                        windows.put(start, new Window(start, instant(rs, 2), pages, events,
                                (before != null && before.done()) || "last".equals(outcome)));
                        if (read) {
                            totals[0]++;
                            watermark[0] = new Position(start, instant(rs, 2), rs.getInt(3));
                        }
                        totals[1] += rs.getInt(8);
                        totals[2] += rs.getInt(10);
                        try {
                            JSON.readValue(rs.getString(9), new TypeReference<Map<String, Integer>>() {
                            }).forEach((status, count) -> counts.merge(status, count, Integer::sum));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        if (rs.getString(11) != null) {
                            problems.add(new Problem(instant(rs, 5), rs.getString(4), outcome,
                                    (Integer) rs.getObject(7), rs.getString(11)));
                        }
                    });
            String state = head.outcome() != null ? head.outcome() : "in_progress";
            sweeps.add(new Sweep(head.id(), state, head.by(), head.node(), head.started(), head.ended(), head.from(),
                    head.to(), head.error(), windows.size(), totals[0], totals[1], counts, totals[2], watermark[0],
                    List.copyOf(windows.values()), problems));
        }
        return sweeps;
    }

    public List<SweepRequest> requests(int limit) {
        return jdbc.sql("""
                        SELECT r.request_id, r.asked_by, r.asked_at, r.range_start, r.range_end, s.sweep_id
                        FROM completeness.sweep_request r LEFT JOIN completeness.sweep s ON s.request_id = r.request_id
                        ORDER BY r.asked_at DESC, r.request_id LIMIT :limit
                        """)
                .param("limit", limit)
                .query((rs, n) -> new SweepRequest(rs.getObject(1, UUID.class), rs.getString(2), instant(rs, 3),
                        instant(rs, 4), instant(rs, 5), rs.getObject(6, UUID.class)))
                .list();
    }

    /** Records that an operator wants a sweep now; a node serves it at its next tick. */
    public UUID request(String askedBy, Instant at, Instant from, Instant to) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO completeness.sweep_request (request_id, asked_by, asked_at, range_start, range_end)
                        VALUES (:id, :by, :at, :from, :to)
                        """)
                .param("id", id)
                .param("by", askedBy)
                .param("at", Timestamp.from(at))
                .param("from", from == null ? null : Timestamp.from(from), java.sql.Types.TIMESTAMP)
                .param("to", to == null ? null : Timestamp.from(to), java.sql.Types.TIMESTAMP)
                .update();
        return id;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp at = rs.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}
