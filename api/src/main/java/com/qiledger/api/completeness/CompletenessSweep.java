package com.qiledger.api.completeness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qiledger.api.provider.ProviderClient;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The completeness sweep (issue 28): lists the provider's events over the lookback, window by window and
 * page by page, through the one {@link ProviderClient}, records what it saw, and asks the provider to
 * resend each callback it gave up on. A scheduled job, never a request: {@code POST
 * /api/v1/completeness/sweeps} only records that a sweep is wanted.
 *
 * <p><b>One at a time.</b> Every tick a node tries a PostgreSQL advisory lock on a connection of its own
 * and holds it for the whole sweep; the other nodes skip. A node that dies loses its session, and the lock
 * with it.
 *
 * <p><b>Watermark.</b> Every page answered is a fact ({@code completeness.page}) committed before the next
 * page is asked for. A sweep without an end fact is resumed by the next tick on any node, from the page
 * after the newest one read (the next window after a window's last page): after a crash, a time-out or an
 * outage nothing is asked twice but the page that was in flight, and nothing is skipped.
 *
 * <p><b>Answers.</b> {@code 429}, {@code 5xx}, time-outs: the page is asked again after the client's back-off,
 * up to its attempts; then the sweep waits (open) and resumes after the longest back-off. A {@code 4xx} is a
 * bug (the sweep asks only for windows the provider accepts): logged as an error with the request, the
 * sweep stops with it recorded. Garbage (not JSON, missing fields, a page number other than asked, a page
 * repeating the previous one): the sweep stops with it recorded, never loops; what was recorded stays.
 *
 * <p><b>Resends.</b> A callback {@code failed}, or {@code pending_shipment} for {@code pending-after}, is asked
 * for once ({@code PATCH}); again only after {@code resend-after}, doubling, while the provider does not show
 * it {@code sent}; an answer that failed is asked again after the client's back-off. The request is recorded
 * before it is sent and its answer after. The delivery comes back through the intake.
 */
@Component
public class CompletenessSweep implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CompletenessSweep.class);
    static final String LOCK = "SELECT pg_try_advisory_lock(hashtext('qi-ledger completeness sweep'))";
    static final String UNLOCK = "SELECT pg_advisory_unlock(hashtext('qi-ledger completeness sweep'))";
    static final DateTimeFormatter PROVIDER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    /** More pages than this in one window is a provider that never ends its list. */
    static final int MAX_PAGES_PER_WINDOW = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderClient provider;
    private final SweepProperties settings;
    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final CompletenessStatus status;
    private final String node;
    private final Duration tick;
    private volatile Thread worker;
    private volatile boolean running;
    private volatile boolean warnedUnconfigured;

    @Autowired
    public CompletenessSweep(ProviderClient provider, SweepProperties settings, DataSource dataSource, JdbcClient jdbc,
                             TransactionTemplate transactions, Clock clock, CompletenessStatus status) {
        this(provider, settings, dataSource, jdbc, transactions, clock, status,
                ManagementFactory.getRuntimeMXBean().getName(), Duration.ofSeconds(1));
    }

    /** For a second node in one JVM (tests): its own name. */
    CompletenessSweep(ProviderClient provider, SweepProperties settings, DataSource dataSource, JdbcClient jdbc,
                      TransactionTemplate transactions, Clock clock, CompletenessStatus status, String node,
                      Duration tick) {
        this.provider = provider;
        this.settings = settings;
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.status = status;
        this.node = node;
        this.tick = tick;
    }

    /** What one {@link #runOnce} did. */
    public enum Ran {
        /** Calls to the provider are off: a setting is missing. */
        OFF,
        /** Another node holds the sweep lock. */
        BUSY,
        /** Nothing was due. */
        IDLE,
        /** A sweep ran to its end (completed or stopped). */
        ENDED,
        /** A sweep ran and is still open: the provider failed it, or this node is stopping. */
        OPEN
    }

    /** Does what is due now under the lock: resume an open sweep, serve a request, or start a scheduled one. */
    public Ran runOnce() {
        if (provider.missingSetting() != null) {
            if (!warnedUnconfigured) {
                warnedUnconfigured = true;
                log.info("completeness sweep is off: {} is not set", provider.missingSetting());
            }
            return Ran.OFF;
        }
        try (Connection lock = dataSource.getConnection()) {
            if (!query(lock, LOCK)) {
                return Ran.BUSY;
            }
            try {
                return underLock();
            } finally {
                // a stop interrupts the sweep; the lock is still given back and the status refreshed
                boolean interrupted = Thread.interrupted();
                try {
                    query(lock, UNLOCK);
                    status.refresh();
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("completeness sweep lock: " + e.getMessage(), e);
        }
    }

    private static boolean query(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    record Sweep(UUID sweepId, Instant rangeStart, Instant rangeEnd) {
    }

    private Ran underLock() {
        Instant now = clock.instant();
        Optional<Sweep> open = jdbc.sql("""
                        SELECT s.sweep_id, s.range_start, s.range_end FROM completeness.sweep s
                        WHERE NOT EXISTS (SELECT 1 FROM completeness.sweep_end e WHERE e.sweep_id = s.sweep_id)
                        ORDER BY s.started_at, s.sweep_id LIMIT 1
                        """)
                .query((rs, n) -> new Sweep(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant()))
                .optional();
        if (open.isPresent()) {
            Optional<Instant> failedAt = jdbc.sql("""
                            SELECT recorded_at FROM completeness.page WHERE sweep_id = :id AND outcome = 'failed'
                              AND seq = (SELECT max(seq) FROM completeness.page WHERE sweep_id = :id)
                            """)
                    .param("id", open.get().sweepId())
                    .query((rs, n) -> rs.getTimestamp(1).toInstant())
                    .optional();
            if (failedAt.isPresent() && failedAt.get().plus(provider.backoff(provider.maxAttempts())).isAfter(now)) {
                return Ran.IDLE;
            }
            log.info("completeness sweep {} resumed from its watermark", open.get().sweepId());
            return sweep(open.get());
        }
        Optional<Map<String, Object>> request = jdbc.sql("""
                        SELECT r.request_id, r.asked_by, r.range_start, r.range_end FROM completeness.sweep_request r
                        WHERE NOT EXISTS (SELECT 1 FROM completeness.sweep s WHERE s.request_id = r.request_id)
                        ORDER BY r.asked_at, r.request_id LIMIT 1
                        """)
                .query().listOfRows().stream().findFirst();
        if (request.isPresent()) {
            Map<String, Object> row = request.get();
            Instant start = row.get("range_start") == null ? now.minus(settings.lookback())
                    : ((Timestamp) row.get("range_start")).toInstant();
            Instant end = row.get("range_end") == null ? now : ((Timestamp) row.get("range_end")).toInstant();
            if (end.isAfter(now)) {
                end = now;
            }
            if (!start.isBefore(end)) {
                start = end.minusSeconds(1);
            }
            return sweep(start(now, start, end, "operator:" + row.get("asked_by"), (UUID) row.get("request_id")));
        }
        if (settings.interval().isZero()) {
            return Ran.IDLE;
        }
        Optional<Instant> last = jdbc.sql("SELECT max(started_at) FROM completeness.sweep WHERE request_id IS NULL")
                .query((rs, n) -> rs.getTimestamp(1) == null ? null : rs.getTimestamp(1).toInstant())
                .optional();
        if (last.isPresent() && last.get() != null && last.get().plus(settings.interval()).isAfter(now)) {
            return Ran.IDLE;
        }
        return sweep(start(now, now.minus(settings.lookback()), now, "schedule", null));
    }

    private Sweep start(Instant now, Instant from, Instant to, String by, UUID requestId) {
        Sweep sweep = new Sweep(UUID.randomUUID(), from, to);
        jdbc.sql("""
                        INSERT INTO completeness.sweep (sweep_id, started_at, started_by, request_id, node, range_start,
                            range_end) VALUES (:id, :now, :by, :request, :node, :from, :to)
                        """)
                .param("id", sweep.sweepId())
                .param("now", Timestamp.from(now))
                .param("by", by)
                .param("request", requestId)
                .param("node", node)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .update();
        log.info("completeness sweep {} started by {} over {} .. {}", sweep.sweepId(), by, from, to);
        return sweep;
    }

    /** The windows of a range: cut at whole multiples of the window from the epoch, the last one short. */
    static List<Instant[]> windows(Instant from, Instant to, Duration window) {
        List<Instant[]> windows = new ArrayList<>();
        long width = window.toMillis();
        Instant start = from;
        while (start.isBefore(to)) {
            Instant next = Instant.ofEpochMilli(Math.floorDiv(start.toEpochMilli(), width) * width + width);
            Instant end = next.isAfter(to) ? to : next;
            windows.add(new Instant[] {start, end});
            start = end;
        }
        return windows;
    }

    record Watermark(int seq, Instant windowStart, int page, boolean windowDone, byte[] sha256) {
    }

    private Ran sweep(Sweep sweep) {
        Watermark mark = jdbc.sql("""
                        SELECT (SELECT coalesce(max(q.seq), 0) FROM completeness.page q WHERE q.sweep_id = :id)
                                   AS last_seq,
                               p.window_start, p.page, p.outcome = 'last' AS done, p.events_sha256
                        FROM completeness.page p WHERE p.sweep_id = :id AND p.outcome IN ('read', 'last')
                        ORDER BY p.seq DESC LIMIT 1
                        """)
                .param("id", sweep.sweepId())
                .query((rs, n) -> new Watermark(rs.getInt("last_seq"), rs.getTimestamp("window_start").toInstant(),
                        rs.getInt("page"), rs.getBoolean("done"), rs.getBytes("events_sha256")))
                .optional()
                .orElseGet(() -> new Watermark(jdbc.sql("SELECT coalesce(max(seq), 0) FROM completeness.page "
                        + "WHERE sweep_id = :id").param("id", sweep.sweepId()).query(Integer.class).single(),
                        null, 0, true, null));
        int[] seq = {mark.seq()};
        for (Instant[] window : windows(sweep.rangeStart(), sweep.rangeEnd(), settings.window())) {
            int page = 1;
            byte[] previous = null;
            if (mark.windowStart() != null) {
                int order = window[0].compareTo(mark.windowStart());
                if (order < 0 || (order == 0 && mark.windowDone())) {
                    continue;
                }
                if (order == 0) {
                    page = mark.page() + 1;
                    previous = mark.sha256();
                }
            }
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    return Ran.OPEN;
                }
                if (page > MAX_PAGES_PER_WINDOW) {
                    return stop(sweep, "more than " + MAX_PAGES_PER_WINDOW + " pages in one window");
                }
                PageResult result = page(sweep, window, page, previous, seq);
                switch (result.kind()) {
                    case NEXT -> {
                        previous = result.sha256();
                        page++;
                    }
                    case WINDOW_DONE -> {
                    }
                    case OPEN -> {
                        return Ran.OPEN;
                    }
                    case STOPPED -> {
                        return Ran.ENDED;
                    }
                    default -> throw new IllegalStateException();
                }
                if (result.kind() == PageKind.WINDOW_DONE) {
                    break;
                }
            }
        }
        end(sweep, "completed", null);
        log.info("completeness sweep {} completed", sweep.sweepId());
        return Ran.ENDED;
    }

    enum PageKind { NEXT, WINDOW_DONE, OPEN, STOPPED }

    record PageResult(PageKind kind, byte[] sha256) {
    }

    /** Asks for one page until it is answered or the attempts are spent; records every attempt. */
    private PageResult page(Sweep sweep, Instant[] window, int page, byte[] previous, int[] seq) {
        String path = "/notification/events?start_datetime=" + encode(PROVIDER_TIME.format(window[0]))
                + "&end_datetime=" + encode(PROVIDER_TIME.format(window[1])) + "&page=" + page;
        for (int attempt = 1; ; attempt++) {
            ProviderClient.Answer answer = provider.send(new ProviderClient.Call("GET", path, null,
                    sweep.sweepId() + "/" + (seq[0] + 1)));
            if (Thread.currentThread().isInterrupted()) {
                // stopping: nothing recorded for this page, as after a crash; the next tick asks for it again
                return new PageResult(PageKind.OPEN, null);
            }
            switch (answer.outcome()) {
                case FAILED -> {
                    String error = answer.error() != null ? answer.error()
                            : "the provider answered " + answer.status();
                    recordPage(sweep, window, page, path, "failed", answer.status(), null, null, error, seq);
                    if (attempt >= provider.maxAttempts()) {
                        log.warn("completeness sweep {}: {} failed {} times ({}); resumed later from its watermark",
                                sweep.sweepId(), path, attempt, error);
                        return new PageResult(PageKind.OPEN, null);
                    }
                    if (!pause(provider.backoff(attempt))) {
                        return new PageResult(PageKind.OPEN, null);
                    }
                }
                case REFUSED -> {
                    String error = "the provider refused GET " + path + " with " + answer.status() + ": "
                            + abbreviate(answer.body());
                    // the provider's body is kept with the page fact, not logged: it may quote anything
                    log.error("completeness sweep {}: a bug, the provider refused a listing: GET {} answered {}",
                            sweep.sweepId(), path, answer.status());
                    recordPage(sweep, window, page, path, "refused", answer.status(), null, null, error, seq);
                    stop(sweep, error);
                    return new PageResult(PageKind.STOPPED, null);
                }
                case ACCEPTED -> {
                    return accepted(sweep, window, page, path, previous, answer, seq);
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private PageResult accepted(Sweep sweep, Instant[] window, int page, String path, byte[] previous,
                                ProviderClient.Answer answer, int[] seq) {
        byte[] sha256 = null;
        EventPage events;
        try {
            events = EventPage.parse(answer.body(), page);
            sha256 = sha256(String.join("\n", events.events().stream().map(EventPage.ProviderEvent::eventKey)
                    .toList()));
            if (page > 1 && previous != null && !events.events().isEmpty() && Arrays.equals(previous, sha256)) {
                throw new EventPage.Garbage("page " + page + " repeats page " + (page - 1));
            }
        } catch (EventPage.Garbage garbage) {
            String error = "garbage from GET " + path + ": " + garbage.getMessage();
            log.error("completeness sweep {} stopped: {}", sweep.sweepId(), error);
            recordPage(sweep, window, page, path, "garbage", answer.status(), null, sha256, error, seq);
            stop(sweep, error);
            return new PageResult(PageKind.STOPPED, null);
        }
        Instant now = clock.instant();
        Map<String, Integer> counts = new TreeMap<>();
        events.events().forEach(e -> e.callbacks().forEach(c -> counts.merge(c.callbackStatus(), 1, Integer::sum)));
        List<Due> due = transactions.execute(tx -> observe(sweep, window, events, now));
        int resends = 0;
        for (Due callback : due) {
            if (resend(sweep, callback)) {
                resends++;
            }
            if (Thread.currentThread().isInterrupted()) {
                return new PageResult(PageKind.OPEN, null);
            }
        }
        String outcome = events.last() ? "last" : "read";
        recordPage(sweep, window, page, path, outcome, answer.status(), new Tally(events.events().size(), counts,
                resends), sha256, null, seq);
        return new PageResult(events.last() ? PageKind.WINDOW_DONE : PageKind.NEXT, sha256);
    }

    /** A callback to ask the provider for again. */
    record Due(EventPage.ProviderEvent event, EventPage.Callback callback) {
    }

    /** Records each callback whose status changed since the last sighting; answers those due for a resend. */
    private List<Due> observe(Sweep sweep, Instant[] window, EventPage events, Instant now) {
        if (events.events().isEmpty()) {
            return List.of();
        }
        String[] keys = events.events().stream().map(EventPage.ProviderEvent::eventKey).distinct()
                .toArray(String[]::new);
        Map<String, String> latest = new HashMap<>();
        Map<String, Instant> firstSeen = new HashMap<>();
        jdbc.sql("""
                        SELECT DISTINCT ON (event_key, callback_key) event_key, callback_key, callback_status,
                            min(seen_at) OVER (PARTITION BY event_key, callback_key) AS first_seen
                        FROM completeness.callback_status WHERE event_key = ANY(:keys)
                        ORDER BY event_key, callback_key, id DESC
                        """)
                .param("keys", keys)
                .query(rs -> {
                    String id = rs.getString(1) + "\u0000" + rs.getString(2);
                    latest.put(id, rs.getString(3));
                    firstSeen.put(id, rs.getTimestamp(4).toInstant());
                });
        Map<String, Instant> lastAsked = new HashMap<>();
        Map<String, Integer> asked = new HashMap<>();
        Map<String, String> lastAnswer = new HashMap<>();
        jdbc.sql("""
                        SELECT r.event_key, r.callback_key, count(*) AS asked, max(r.asked_at) AS last_asked,
                            (SELECT a.outcome FROM completeness.resend r2
                               LEFT JOIN completeness.resend_answer a ON a.resend_id = r2.resend_id
                             WHERE r2.event_key = r.event_key AND r2.callback_key = r.callback_key
                             ORDER BY r2.asked_at DESC, r2.resend_id LIMIT 1) AS last_answer
                        FROM completeness.resend r WHERE r.event_key = ANY(:keys)
                        GROUP BY r.event_key, r.callback_key
                        """)
                .param("keys", keys)
                .query(rs -> {
                    String id = rs.getString(1) + "\u0000" + rs.getString(2);
                    asked.put(id, rs.getInt(3));
                    lastAsked.put(id, rs.getTimestamp(4).toInstant());
                    lastAnswer.put(id, rs.getString(5));
                });
        List<Due> due = new ArrayList<>();
        for (EventPage.ProviderEvent event : events.events()) {
            for (EventPage.Callback callback : event.callbacks()) {
                String id = event.eventKey() + "\u0000" + callback.callbackKey();
                if (!callback.callbackStatus().equals(latest.get(id))) {
                    latest.put(id, callback.callbackStatus());
                    jdbc.sql("""
                                    INSERT INTO completeness.callback_status (event_key, callback_key, event_type,
                                        event_status, origin_enumerator, origin_key, callback_status, window_start,
                                        sweep_id, seen_at)
                                    VALUES (:event, :callback, :type, :status, :enumerator, :origin, :callbackStatus,
                                        :window, :sweep, :now)
                                    """)
                            .param("event", event.eventKey())
                            .param("callback", callback.callbackKey())
                            .param("type", event.eventType())
                            .param("status", event.status())
                            .param("enumerator", event.originEnumerator())
                            .param("origin", event.originKey())
                            .param("callbackStatus", callback.callbackStatus())
                            .param("window", Timestamp.from(window[0]))
                            .param("sweep", sweep.sweepId())
                            .param("now", Timestamp.from(now))
                            .update();
                    firstSeen.putIfAbsent(id, now);
                }
                if (due(callback.callbackStatus(), firstSeen.get(id), asked.getOrDefault(id, 0), lastAsked.get(id),
                        lastAnswer.get(id), now)) {
                    due.add(new Due(event, callback));
                }
            }
        }
        return due;
    }

    /** Whether a callback is to be asked for now: see the class comment. Never for {@code sent}. */
    boolean due(String callbackStatus, Instant firstSeen, int asked, Instant lastAsked, String lastAnswer,
                Instant now) {
        boolean wanted = "failed".equals(callbackStatus) || ("pending_shipment".equals(callbackStatus)
                && firstSeen != null && !firstSeen.plus(settings.pendingAfter()).isAfter(now));
        if (!wanted) {
            return false;
        }
        if (asked == 0) {
            return true;
        }
        Duration wait = lastAnswer == null || "failed".equals(lastAnswer) ? provider.backoff(asked)
                : doubled(settings.resendAfter(), asked);
        return !lastAsked.plus(wait).isAfter(now);
    }

    private static Duration doubled(Duration first, int asked) {
        Duration wait = first.multipliedBy(1L << Math.min(10, asked - 1));
        return wait.compareTo(Duration.ofDays(7)) > 0 ? Duration.ofDays(7) : wait;
    }

    /** Records the request, sends the {@code PATCH}, records the answer. */
    private boolean resend(Sweep sweep, Due due) {
        UUID id = UUID.randomUUID();
        String path = "/notification/events/" + encode(due.event().eventKey()) + "/callbacks/"
                + encode(due.callback().callbackKey());
        jdbc.sql("""
                        INSERT INTO completeness.resend (resend_id, event_key, callback_key, event_type, origin_key,
                            status_seen, asked_by, sweep_id, node, request, asked_at)
                        VALUES (:id, :event, :callback, :type, :origin, :seen, :by, :sweep, :node, :request, :now)
                        """)
                .param("id", id)
                .param("event", due.event().eventKey())
                .param("callback", due.callback().callbackKey())
                .param("type", due.event().eventType())
                .param("origin", due.event().originKey())
                .param("seen", due.callback().callbackStatus())
                .param("by", "completeness sweep " + sweep.sweepId())
                .param("sweep", sweep.sweepId())
                .param("node", node)
                .param("request", "PATCH " + path)
                .param("now", Timestamp.from(clock.instant()))
                .update();
        ProviderClient.Answer answer = provider.send(new ProviderClient.Call("PATCH", path, null, id.toString()));
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        String outcome = switch (answer.outcome()) {
            case ACCEPTED -> "accepted";
            case REFUSED -> "refused";
            case FAILED -> "failed";
        };
        if (answer.outcome() == ProviderClient.Outcome.REFUSED) {
            log.error("completeness sweep {}: the provider refused PATCH {} with {}", sweep.sweepId(), path,
                    answer.status());
        }
        jdbc.sql("""
                        INSERT INTO completeness.resend_answer (resend_id, answered_at, outcome, status, body, error)
                        VALUES (:id, :now, :outcome, :status, :body, :error)
                        """)
                .param("id", id)
                .param("now", Timestamp.from(clock.instant()))
                .param("outcome", outcome)
                .param("status", answer.status())
                .param("body", answer.body())
                .param("error", answer.error())
                .update();
        log.info("completeness sweep {}: resend of event {} callback {} ({}) answered {} {}", sweep.sweepId(),
                due.event().eventKey(), due.callback().callbackKey(), due.callback().callbackStatus(), outcome,
                answer.status());
        return true;
    }

    record Tally(int events, Map<String, Integer> counts, int resends) {
    }

    private void recordPage(Sweep sweep, Instant[] window, int page, String path, String outcome, Integer status,
                            Tally tally, byte[] sha256, String error, int[] seq) {
        seq[0]++;
        String counts;
        try {
            counts = JSON.writeValueAsString(tally == null ? Map.of() : tally.counts());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        jdbc.sql("""
                        INSERT INTO completeness.page (sweep_id, seq, window_start, window_end, page, request, node,
                            recorded_at, outcome, status, events, counts, resends, events_sha256, error)
                        VALUES (:sweep, :seq, :start, :end, :page, :request, :node, :now, :outcome, :status, :events,
                            CAST(:counts AS jsonb), :resends, :sha, :error)
                        """)
                .param("sweep", sweep.sweepId())
                .param("seq", seq[0])
                .param("start", Timestamp.from(window[0]))
                .param("end", Timestamp.from(window[1]))
                .param("page", page)
                .param("request", "GET " + path)
                .param("node", node)
                .param("now", Timestamp.from(clock.instant()))
                .param("outcome", outcome)
                .param("status", status)
                .param("events", tally == null ? 0 : tally.events())
                .param("counts", counts)
                .param("resends", tally == null ? 0 : tally.resends())
                .param("sha", sha256)
                .param("error", error)
                .update();
    }

    private Ran stop(Sweep sweep, String error) {
        end(sweep, "stopped", error);
        return Ran.ENDED;
    }

    private void end(Sweep sweep, String outcome, String error) {
        jdbc.sql("""
                        INSERT INTO completeness.sweep_end (sweep_id, ended_at, outcome, error)
                        VALUES (:id, :now, :outcome, :error)
                        """)
                .param("id", sweep.sweepId())
                .param("now", Timestamp.from(clock.instant()))
                .param("outcome", outcome)
                .param("error", error)
                .update();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] sha256(String body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0]
                    : body.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A provider's error body in a log line or an error: its start only (it is the provider's text, not ours). */
    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 500 ? body.substring(0, 500) + "…" : body;
    }

    private static boolean pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void loop() {
        while (running) {
            try {
                runOnce();
                status.refreshIfOlderThan(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                log.warn("completeness sweep: {}", e.toString());
            }
            if (!pause(tick)) {
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread thread = new Thread(this::loop, "ledger-completeness-sweep");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        worker = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after the rest of the service, stops before it. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
