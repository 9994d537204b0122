package com.qiledger.api.completeness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qiledger.api.platform.Endpoints;
import com.qiledger.api.platform.Problems;
import com.qiledger.api.platform.RequestParams;
import com.qiledger.api.provider.ProviderClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The completeness answers (issue 28, API.md): the auditor's report of the provider's events against the
 * ledger, the sweeps run so far, and an operator's request for a sweep now. Nothing here calls the
 * provider: a request is recorded and a node's {@link CompletenessSweep} serves it after the commit.
 */
@RestController
@RequestMapping("/api/v1/completeness")
public class CompletenessController {

    static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    static final int SWEEPS_LISTED = 50;

    private final CompletenessReport report;
    private final CompletenessStatus status;
    private final ProviderClient provider;
    private final Scheduler blocking;
    private final Clock clock;
    private final ObjectMapper json;

    public CompletenessController(CompletenessReport report, CompletenessStatus status, ProviderClient provider,
                                  Scheduler blockingScheduler, Clock clock, ObjectMapper json) {
        this.report = report;
        this.status = status;
        this.provider = provider;
        this.blocking = blockingScheduler;
        this.clock = clock;
        this.json = json;
    }

    @GetMapping
    public Mono<ResponseEntity<Object>> completeness(@RequestParam(required = false) String from,
                                                     @RequestParam(required = false) String to,
                                                     @RequestHeader HttpHeaders headers) {
        ResponseEntity<Object> off = off();
        if (off != null) {
            return Mono.just(off);
        }
        List<String> problems = new ArrayList<>();
        Optional<RequestParams.Period> period = RequestParams.period(from, to, problems);
        if (period.isEmpty()) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-period", String.join("; ", problems)));
        }
        LocalDate start = period.get().from();
        LocalDate end = period.get().to();
        boolean csv = RequestParams.wantsCsv(headers);
        return Endpoints.blocking(blocking, () -> {
            CompletenessReport.Report answer = report.report(start, end);
            return csv ? ResponseEntity.ok().contentType(TEXT_CSV).<Object>body(CompletenessCsv.report(answer))
                    : ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
        });
    }

    @GetMapping("/sweeps")
    public Mono<ResponseEntity<Object>> sweeps() {
        ResponseEntity<Object> off = off();
        if (off != null) {
            return Mono.just(off);
        }
        return Endpoints.blocking(blocking, () -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("sweeps", report.sweeps(SWEEPS_LISTED));
            answer.put("requests", report.requests(SWEEPS_LISTED));
            answer.put("status", status.details());
            return ResponseEntity.ok(answer);
        });
    }

    @PostMapping("/sweeps")
    public Mono<ResponseEntity<Object>> sweepNow(@RequestBody(required = false) byte[] body,
                                                 ServerWebExchange exchange) {
        ResponseEntity<Object> off = off();
        if (off != null) {
            return Mono.just(off);
        }
        Instant[] range = new Instant[2];
        if (body != null && body.length > 0) {
            JsonNode node;
            try {
                node = json.readTree(body);
            } catch (Exception e) {
                return Mono.just(badField("body", "the body is not JSON; send {\"from\", \"to\"} or nothing"));
            }
            if (node == null || !node.isObject()) {
                return Mono.just(badField("body", "the body must be a JSON object {\"from\", \"to\"}"));
            }
            for (int i = 0; i < 2; i++) {
                String field = i == 0 ? "from" : "to";
                JsonNode value = node.get(field);
                if (value == null || value.isNull()) {
                    continue;
                }
                range[i] = instant(value.asText(), i == 1);
                if (!value.isTextual() || range[i] == null) {
                    return Mono.just(badField(field, field + " must be a date (YYYY-MM-DD) or an instant "
                            + "(YYYY-MM-DDTHH:MM:SSZ)"));
                }
            }
            if (range[0] != null && range[1] != null && !range[0].isBefore(range[1])) {
                return Mono.just(badField("from", "from must be before to"));
            }
            if (range[0] != null && range[1] == null && !range[0].isBefore(clock.instant())) {
                return Mono.just(badField("from", "from must be in the past"));
            }
        }
        return exchange.getPrincipal().map(Principal::getName).defaultIfEmpty("anonymous")
                .flatMap(who -> Endpoints.blocking(blocking, () -> {
                    Instant now = clock.instant();
                    UUID id = report.request(who, now, range[0], range[1]);
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("request_id", id);
                    answer.put("asked_by", who);
                    answer.put("asked_at", now);
                    answer.put("from", range[0]);
                    answer.put("to", range[1]);
                    answer.put("location", "/api/v1/completeness/sweeps");
                    return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/completeness/sweeps"))
                            .body(answer);
                }));
    }

    private ResponseEntity<Object> off() {
        String missing = provider.missingSetting();
        return missing == null ? null : Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "provider-not-configured",
                "the completeness sweep is off: " + missing + " is not set", Map.of("setting", missing));
    }

    private static ResponseEntity<Object> badField(String field, String detail) {
        return Problems.of(HttpStatus.BAD_REQUEST, "bad-field", detail, Map.of("field", field));
    }

    /** A date (its day's start, or the next day's for the end of a range) or an instant; null when neither. */
    static Instant instant(String text, boolean end) {
        try {
            LocalDate day = LocalDate.parse(text.strip());
            return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                return Instant.parse(text.strip());
            } catch (DateTimeParseException notAnInstant) {
                return null;
            }
        }
    }

}
