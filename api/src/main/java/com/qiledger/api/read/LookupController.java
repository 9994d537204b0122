package com.qiledger.api.read;

import com.qiledger.api.intake.Receipts;
import com.qiledger.api.platform.Endpoints;
import com.qiledger.api.platform.Problems;
import com.qiledger.command.messages.common.AggregateIds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@code GET /api/v1/lookup?q=}: what a person has in hand (the key of any of the five entities, a
 * receipt id, a bar code or digitable line) to where the ledger keeps it. Every match names the
 * entity path and key of the read API, {@code receipts} for a delivery, and what matched. Reads the
 * history and the read models' bar code columns; answers {@code 200} with no match rather than 404.
 */
@RestController
public class LookupController {

    static final int MAX_QUERY = 256;
    /** A bar code has 44 digits, a digitable line 47 (bank slips) or 48 (collections); people add dots and spaces. */
    private static final Pattern SLIP_NUMBER = Pattern.compile("[0-9]{44,48}");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s.\\-]");

    private final Map<String, String> pathByAggregateType = new LinkedHashMap<>();
    private final Receipts receipts;
    private final JdbcClient jdbc;
    private final Scheduler blocking;

    public LookupController(List<EntityReader> readers, Receipts receipts, JdbcClient jdbc,
                            Scheduler blockingScheduler) {
        readers.forEach(reader -> pathByAggregateType.put(reader.aggregateType(), reader.path()));
        this.receipts = receipts;
        this.jdbc = jdbc;
        this.blocking = blockingScheduler;
    }

    @GetMapping("/api/v1/lookup")
    public Mono<ResponseEntity<Object>> lookup(@RequestParam(required = false) String q) {
        String query = q == null ? "" : q.strip();
        if (query.isEmpty() || query.length() > MAX_QUERY) {
            return Mono.just(Problems.of(HttpStatus.BAD_REQUEST, "bad-query",
                    "q must be a key, receipt id, bar code or digitable line of 1 to " + MAX_QUERY + " characters"));
        }
        return Endpoints.blocking(blocking, () -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("query", query);
            body.put("matches", matches(query));
            return ResponseEntity.ok(body);
        });
    }

    List<Map<String, Object>> matches(String query) {
        List<Map<String, Object>> matches = new ArrayList<>();
        Optional<UUID> receipt = Endpoints.uuid(query);
        if (receipt.isPresent() && receipts.find(receipt.get()).isPresent()) {
            matches.add(match("receipts", receipt.get().toString(), "receipt"));
        }
        // An entity the store has an event of: its first (sequence 0), found by the store's own key.
        List<String> streams = pathByAggregateType.keySet().stream()
                .map(type -> AggregateIds.of(type, query)).toList();
        jdbc.sql("""
                        SELECT aggregateidentifier FROM domainevententry
                        WHERE aggregateidentifier IN (:streams) AND sequencenumber = 0
                        ORDER BY aggregateidentifier
                        """)
                .param("streams", streams)
                .query(String.class).list()
                .forEach(stream -> matches.add(match(pathByAggregateType.get(stream.substring(0, stream.indexOf(':'))),
                        query, "key")));
        String digits = SEPARATORS.matcher(query).replaceAll("");
        if (SLIP_NUMBER.matcher(digits).matches()) {
            jdbc.sql("""
                            SELECT slip_key, CASE WHEN barcode = :digits THEN 'barcode' ELSE 'digitable_line' END
                            FROM dda_bank_slip_view WHERE barcode = :digits OR digitable_line = :digits
                            ORDER BY slip_key
                            """)
                    .param("digits", digits)
                    .query((rs, n) -> match("dda-bank-slips", rs.getString(1), rs.getString(2))).list()
                    .forEach(matches::add);
            jdbc.sql("""
                            SELECT DISTINCT installment_key FROM installment_billing_view
                            WHERE digitable_line = :digits ORDER BY installment_key
                            """)
                    .param("digits", digits)
                    .query((rs, n) -> match("installments", rs.getString(1), "digitable_line")).list()
                    .forEach(matches::add);
        }
        return matches;
    }

    private static Map<String, Object> match(String entity, String key, String matchedBy) {
        Map<String, Object> match = new LinkedHashMap<>();
        match.put("entity", entity);
        match.put("key", key);
        match.put("matched_by", matchedBy);
        match.put("location", "/api/v1/" + entity + "/" + UriUtils.encodePathSegment(key, StandardCharsets.UTF_8));
        return match;
    }
}
