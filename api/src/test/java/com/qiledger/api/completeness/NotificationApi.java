package com.qiledger.api.completeness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.qiledger.api.provider.ProviderStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The provider's notification API (WEBHOOKS.md, "Listing and resending deliveries") behind the
 * signature-checking {@link ProviderStub}: events with their creation time, stored body and callbacks;
 * {@code GET /notification/events} filtered by {@code start_datetime}/{@code end_datetime} (a window over
 * 14 days is refused with {@code 400}), paged by {@code rows_per_page}; {@code PATCH
 * /notification/events/{event}/callbacks/{callback}} queues the callback and posts the event's stored body
 * to the ledger's webhook URL as the provider would, then shows the callback {@code sent} if the ledger
 * answered {@code 2xx}. Scripted faults answer the next listing calls instead.
 */
public final class NotificationApi implements ResponseDefinitionTransformerV2, AutoCloseable {

    static final String NAME = "notification-api";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssX").withZone(ZoneOffset.UTC);
    private static final Pattern RESEND = Pattern.compile("/notification/events/([^/]+)/callbacks/([^/?]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    public final ProviderStub stub;
    final List<Event> events = new CopyOnWriteArrayList<>();
    /** Answers for the next listing calls, before the real one. */
    final ConcurrentLinkedDeque<Function<Request, ResponseDefinition>> faults = new ConcurrentLinkedDeque<>();
    final List<String> posted = new CopyOnWriteArrayList<>();
    /** The pages asked for, as soon as each request arrives (the stub's journal has them once answered). */
    final List<Integer> arriving = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    volatile int rowsPerPage = 2;
    volatile String webhookUrl;
    /** When set, a resend is acknowledged but nothing is delivered (the provider keeps the callback failed). */
    volatile boolean resendDelivers = true;
    /** Answers page n+1 as page n (a provider whose paging is broken). */
    volatile boolean repeatPages;
    /** Delays the listing's answer to this page (the sweep is stopped meanwhile in the crash test). */
    public volatile int slowPage;
    public volatile Duration slowBy = Duration.ZERO;
    /** Listing calls being answered now, and the most ever answered at once. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    public final java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();

    public NotificationApi() {
        this.stub = new ProviderStub(this);
        reset();
    }

    void reset() {
        stub.reset();
        events.clear();
        faults.clear();
        posted.clear();
        arriving.clear();
        rowsPerPage = 2;
        resendDelivers = true;
        repeatPages = false;
        slowPage = 0;
        slowBy = Duration.ZERO;
        stub.stubSigned(WireMock.get(WireMock.urlPathEqualTo("/notification/events"))
                .willReturn(WireMock.aResponse().withTransformers(NAME)));
        stub.stubSigned(WireMock.patch(WireMock.urlPathMatching("/notification/events/[^/]+/callbacks/[^/]+"))
                .willReturn(WireMock.aResponse().withTransformers(NAME)));
    }

    static final class Callback {
        final String key;
        volatile String status;

        Callback(String key, String status) {
            this.key = key;
            this.status = status;
        }
    }

    public record Event(String key, String type, String originKey, Instant createdAt, byte[] body, List<Callback> callbacks) {
    }

    public Event add(String key, String type, String originKey, Instant createdAt, byte[] body, String... statuses) {
        List<Callback> callbacks = new ArrayList<>();
        for (int i = 0; i < statuses.length; i++) {
            callbacks.add(new Callback(key + "-cb" + (i + 1), statuses[i]));
        }
        Event event = new Event(key, type, originKey, createdAt, body, callbacks);
        events.add(event);
        return event;
    }

    String status(String eventKey) {
        return events.stream().filter(e -> e.key().equals(eventKey)).findFirst().orElseThrow().callbacks().get(0).status;
    }

    /** The listing calls received, in order, as "start end page". */
    public List<String> listings() {
        return stub.requests("/notification/events").stream()
                .map(r -> r.queryParameter("start_datetime").firstValue() + " " + r.queryParameter("end_datetime")
                        .firstValue() + " " + r.queryParameter("page").firstValue())
                .toList();
    }

    /** The resend calls received, as their paths. */
    List<LoggedRequest> resends() {
        return stub.all().stream().filter(r -> r.getMethod().getName().equals("PATCH"))
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        try {
            if ("PATCH".equals(request.getMethod().getName())) {
                return resend(request);
            }
            String page = request.queryParameter("page").isPresent() ? request.queryParameter("page").firstValue() : "0";
            arriving.add(page.matches("\\d{1,9}") ? Integer.parseInt(page) : 0);
            mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Function<Request, ResponseDefinition> fault = faults.poll();
                if (fault != null) {
                    return fault.apply(request);
                }
                return list(request);
            } finally {
                inFlight.decrementAndGet();
            }
        } catch (Exception e) {
            return json(500, Map.of("title", e.toString()));
        }
    }

    private ResponseDefinition list(Request request) throws Exception {
        Instant start;
        Instant end;
        int page;
        try {
            start = Instant.from(TIME.parse(request.queryParameter("start_datetime").firstValue()));
            end = Instant.from(TIME.parse(request.queryParameter("end_datetime").firstValue()));
            page = Integer.parseInt(request.queryParameter("page").firstValue());
        } catch (RuntimeException e) {
            return json(400, Map.of("title", "bad filter", "detail", e.toString()));
        }
        if (Duration.between(start, end).compareTo(Duration.ofDays(14)) > 0 || end.isBefore(start)) {
            return json(400, Map.of("title", "the window between start_datetime and end_datetime may span at most 14 days"));
        }
        if (page == slowPage && !slowBy.isZero()) {
            Thread.sleep(slowBy.toMillis());
        }
        int shown = repeatPages && page > 1 ? page - 1 : page;
        List<Event> inWindow = events.stream()
                .filter(e -> !e.createdAt().isBefore(start) && e.createdAt().isBefore(end))
                .sorted(Comparator.comparing(Event::createdAt).thenComparing(Event::key))
                .toList();
        int rows = rowsPerPage;
        List<Map<String, Object>> data = new ArrayList<>();
        for (Event event : inWindow.subList(Math.min(inWindow.size(), (shown - 1) * rows),
                Math.min(inWindow.size(), shown * rows))) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("event_key", event.key());
            item.put("event_type", event.type());
            item.put("status", "done");
            item.put("origin_enumerator", "bank_slip");
            item.put("origin_key", event.originKey());
            item.put("callbacks", event.callbacks().stream()
                    .map(c -> Map.of("callback_key", c.key, "callback_status", c.status)).toList());
            data.add(item);
        }
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("current_page", page);
        pagination.put("rows_per_page", rows);
        pagination.put("total_rows", inWindow.size());
        return json(200, Map.of("data", data, "pagination", pagination));
    }

    private ResponseDefinition resend(Request request) throws Exception {
        Matcher matcher = RESEND.matcher(URI.create(request.getUrl()).getRawPath());
        if (!matcher.matches()) {
            return json(404, Map.of("title", "not found"));
        }
        String eventKey = java.net.URLDecoder.decode(matcher.group(1), java.nio.charset.StandardCharsets.UTF_8);
        String callbackKey = java.net.URLDecoder.decode(matcher.group(2), java.nio.charset.StandardCharsets.UTF_8);
        Event event = events.stream().filter(e -> e.key().equals(eventKey)).findFirst().orElse(null);
        Callback callback = event == null ? null
                : event.callbacks().stream().filter(c -> c.key.equals(callbackKey)).findFirst().orElse(null);
        if (callback == null) {
            return json(404, Map.of("title", "no such event or callback"));
        }
        if (!resendDelivers) {
            return json(200, Map.of("callback_key", callbackKey, "callback_status", "on_queue"));
        }
        callback.status = "on_queue";
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(webhookUrl))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.body())).build(), HttpResponse.BodyHandlers.ofString());
        posted.add(eventKey + " " + answer.statusCode() + " " + answer.body());
        callback.status = answer.statusCode() / 100 == 2 ? "sent" : "failed";
        return json(200, Map.of("callback_key", callbackKey, "callback_status", "on_queue"));
    }

    static ResponseDefinition json(int status, Object body) {
        try {
            return WireMock.aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                    .withBody(JSON.writeValueAsString(body)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Function<Request, ResponseDefinition> answer(int status, String body) {
        return request -> WireMock.aResponse().withStatus(status).withBody(body).build();
    }

    @Override
    public void close() {
        stub.close();
    }
}
