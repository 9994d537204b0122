package com.qiledger.api.finance;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qiledger.api.platform.Endpoints;
import com.qiledger.api.platform.Problems;
import com.qiledger.api.platform.RequestParams;
import com.qiledger.query.journal.Accounts;
import com.qiledger.query.journal.JournalReads.AccountBalances;
import com.qiledger.query.journal.JournalReads.AccountStatement;
import com.qiledger.query.journal.JournalReads.FindAccountBalances;
import com.qiledger.query.journal.JournalReads.FindAccountStatement;
import com.qiledger.query.journal.JournalReads.FindJournal;
import com.qiledger.query.journal.JournalReads.FindTrialBalance;
import com.qiledger.query.journal.JournalReads.Journal;
import com.qiledger.query.journal.JournalReads.TrialBalance;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The double-entry journal's reads (docs/finance.md): the journal of a period, balances per account
 * as of a day, an account's statement and the trial balance; JSON, or CSV with {@code Accept: text/csv},
 * rendered as the other finance reads are (exact amounts in JSON, two decimals in CSV, the generation
 * time in {@code X-Generated-At}, never in the body).
 */
@RestController
@RequestMapping("/api/v1")
public class JournalController {

    /** Deepest {@code depth} accepted below a prefix (addresses have at most ten segments). */
    static final int MAX_DEPTH = 10;

    private final QueryGateway queries;
    private final Scheduler blocking;
    private final ObjectMapper json;
    private final Clock clock;

    public JournalController(QueryGateway queries, Scheduler blockingScheduler, ObjectMapper mapper, Clock clock) {
        this.queries = queries;
        this.blocking = blockingScheduler;
        this.json = mapper.copy().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
        this.clock = clock;
    }

    /** Every transaction dated in the period, with its postings, by effective date, then position. */
    @GetMapping("/journal")
    public Mono<ResponseEntity<Object>> journal(@RequestParam(required = false) String from,
                                                @RequestParam(required = false) String to,
                                                @RequestHeader HttpHeaders headers) {
        List<String> problems = new ArrayList<>();
        Optional<FindJournal> query = RequestParams.period(from, to, problems).map(p -> new FindJournal(p.from(), p.to()));
        if (query.isEmpty()) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-period", String.join("; ", problems)));
        }
        return answer(headers, () -> Optional.of(queries.query(query.get(), ResponseTypes.instanceOf(Journal.class))
                .join()), JournalCsv::journal, null);
    }

    /** Balances per account as of the end of {@code asOf}, aggregated by prefix. */
    @GetMapping("/accounts")
    public Mono<ResponseEntity<Object>> accounts(@RequestParam(required = false) String asOf,
                                                 @RequestParam(required = false) String prefix,
                                                 @RequestParam(required = false) String depth,
                                                 @RequestHeader HttpHeaders headers) {
        List<String> problems = new ArrayList<>();
        LocalDate day = asOf(asOf, problems);
        if (!problems.isEmpty()) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-as-of", String.join("; ", problems)));
        }
        if (prefix != null && !Accounts.wellFormed(prefix)) {
            return Mono.just(badAccount("prefix", prefix));
        }
        int levels;
        try {
            levels = depth == null ? 1 : Integer.parseInt(depth.strip());
        } catch (NumberFormatException e) {
            levels = -1;
        }
        if (levels < 1 || levels > MAX_DEPTH) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-depth",
                    "depth must be a whole number from 1 to " + MAX_DEPTH + ": '" + depth + "'"));
        }
        FindAccountBalances query = new FindAccountBalances(day, prefix, levels);
        return answer(headers, () -> queries.query(query, ResponseTypes.optionalInstanceOf(AccountBalances.class))
                .join(), JournalCsv::balances, "prefix '" + prefix + "' names no account of the journal");
    }

    /** An account's opening balance, every posting of the period with the balance after it, the closing balance. */
    @GetMapping("/accounts/{address}/statement")
    public Mono<ResponseEntity<Object>> statement(@PathVariable String address,
                                                  @RequestParam(required = false) String from,
                                                  @RequestParam(required = false) String to,
                                                  @RequestHeader HttpHeaders headers) {
        if (!Accounts.wellFormed(address)) {
            return Mono.just(badAccount("address", address));
        }
        List<String> problems = new ArrayList<>();
        Optional<FindAccountStatement> query = RequestParams.period(from, to, problems)
                .map(p -> new FindAccountStatement(address, p.from(), p.to()));
        if (query.isEmpty()) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-period", String.join("; ", problems)));
        }
        return answer(headers, () -> queries.query(query.get(),
                        ResponseTypes.optionalInstanceOf(AccountStatement.class)).join(), JournalCsv::statement,
                "account '" + address + "' does not exist in the journal");
    }

    /** The trial balance as of the end of {@code asOf}: totals that close to zero, and whether they do. */
    @GetMapping("/reports/trial-balance")
    public Mono<ResponseEntity<Object>> trialBalance(@RequestParam(required = false) String asOf,
                                                     @RequestHeader HttpHeaders headers) {
        List<String> problems = new ArrayList<>();
        LocalDate day = asOf(asOf, problems);
        if (!problems.isEmpty()) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-as-of", String.join("; ", problems)));
        }
        return answer(headers, () -> Optional.of(queries.query(new FindTrialBalance(day),
                ResponseTypes.instanceOf(TrialBalance.class)).join()), JournalCsv::trialBalance, null);
    }

    private static LocalDate asOf(String value, List<String> problems) {
        return RequestParams.date("asOf", value, problems);
    }

    private static ResponseEntity<Object> badAccount(String name, String value) {
        return Problems.of(HttpStatus.BAD_REQUEST, "bad-account", name + " is not an account address "
                + "(segments separated by ':', none empty, at most ten): '" + value + "'");
    }

    private interface Read<R> {
        Optional<R> run();
    }

    private <R> Mono<ResponseEntity<Object>> answer(HttpHeaders headers, Read<R> read, Function<R, byte[]> csv,
                                                    String notFound) {
        boolean asCsv = RequestParams.wantsCsv(headers);
        return Endpoints.blocking(blocking, () -> {
            Optional<R> result = read.run();
            if (result.isEmpty()) {
                return Problems.of(HttpStatus.NOT_FOUND, "unknown-account", notFound);
            }
            byte[] body = asCsv ? csv.apply(result.get()) : json(result.get());
            return ResponseEntity.ok()
                    .contentType(asCsv ? FinanceController.TEXT_CSV : MediaType.APPLICATION_JSON)
                    .header(FinanceController.GENERATED_AT, clock.instant().toString())
                    .body(body);
        });
    }

    private byte[] json(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a journal answer could not be written as JSON", e);
        }
    }
}
