package com.qiledger.api.finance;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qiledger.api.platform.Endpoints;
import com.qiledger.api.platform.Problems;
import com.qiledger.api.platform.RequestParams;
import com.qiledger.query.finance.FindLedgerEntries;
import com.qiledger.query.finance.FindReconciliationReport;
import com.qiledger.query.finance.LedgerEntries;
import com.qiledger.query.finance.ReconciliationReport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The finance reads of API.md: {@code GET /api/v1/ledger/entries} and
 * {@code GET /api/v1/reports/reconciliation}, each for {@code from} and {@code to} (ISO dates, both
 * required, both included, {@code from <= to}), as JSON or, with {@code Accept: text/csv}, as CSV.
 *
 * <p>The body is a pure function of the events and the period: the same events give the same bytes
 * (fixed ordering, fixed rendering; JSON amounts exact in plain notation, CSV amounts with two
 * decimals). When it was generated goes in the {@code X-Generated-At} header, never in the body.
 */
@RestController
@RequestMapping("/api/v1")
public class FinanceController {

    static final String GENERATED_AT = "X-Generated-At";
    static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final QueryGateway queries;
    private final Scheduler blocking;
    private final ObjectMapper json;
    private final Clock clock;
    private final ReportProperties reports;

    public FinanceController(QueryGateway queries, Scheduler blockingScheduler, ObjectMapper mapper, Clock clock,
                             ReportProperties reports) {
        this.queries = queries;
        this.blocking = blockingScheduler;
        this.json = mapper.copy().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        this.clock = clock;
        this.reports = reports;
    }

    /** Every money movement whose effective date lies in the period, by effective date, then event position. */
    @GetMapping("/ledger/entries")
    public Mono<ResponseEntity<Object>> entries(@RequestParam(required = false) String from,
                                                @RequestParam(required = false) String to,
                                                @RequestHeader HttpHeaders headers) {
        return answer(from, to, headers, FindLedgerEntries::new, LedgerEntries.class, FinanceCsv::entries);
    }

    /** The reconciliation report of the period: summary per category, batches per reference date, breaks. */
    @GetMapping("/reports/reconciliation")
    public Mono<ResponseEntity<Object>> reconciliation(@RequestParam(required = false) String from,
                                                       @RequestParam(required = false) String to,
                                                       @RequestHeader HttpHeaders headers) {
        return answer(from, to, headers,
                (f, t) -> new FindReconciliationReport(f, t, reports.unsettledAfterDays(),
                        reports.cancellationUnconfirmedAfterDays()),
                ReconciliationReport.class, FinanceCsv::report);
    }

    private <Q, R> Mono<ResponseEntity<Object>> answer(String from, String to, HttpHeaders headers,
                                                       BiFunction<LocalDate, LocalDate, Q> query, Class<R> type,
                                                       Function<R, byte[]> csv) {
        List<String> problems = new ArrayList<>();
        Optional<RequestParams.Period> period = RequestParams.period(from, to, problems);
        if (period.isEmpty()) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-period", String.join("; ", problems)));
        }
        LocalDate start = period.get().from();
        LocalDate end = period.get().to();
        boolean asCsv = RequestParams.wantsCsv(headers);
        return Endpoints.blocking(blocking, () -> {
            R result = queries.query(query.apply(start, end), ResponseTypes.instanceOf(type)).join();
            byte[] body = asCsv ? csv.apply(result) : json(result);
            return ResponseEntity.ok()
                    .contentType(asCsv ? TEXT_CSV : MediaType.APPLICATION_JSON)
                    .header(GENERATED_AT, clock.instant().toString())
                    .body(body);
        });
    }


    private byte[] json(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a finance answer could not be written as JSON", e);
        }
    }
}
