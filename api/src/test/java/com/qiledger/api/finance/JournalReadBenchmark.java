package com.qiledger.api.finance;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.e2e.TestDataDirs;
import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.command.messages.installment.InstallmentStatus;
import com.qiledger.query.journal.JournalProjection;
import com.qiledger.query.support.BatchedWrites;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The 1M-postings read benchmark of issue 24 (docs/finance.md), not part of the test suite (its name
 * matches none of surefire's includes); run it on its own:
 *
 * <pre>cd api &amp;&amp; ../mvnw -B -o test -Dtest=JournalReadBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * <p>It starts the service (its embedded PostgreSQL on a fresh data folder, fsync off), fills the
 * journal's tables with at least {@code -Dbench.postings} (1,000,000) postings <b>through the
 * projection's own handler and SQL</b> ({@link JournalProjection#on}, batched as a rebuild lane, in
 * transactions of 2,000 events), from generated events of every family over three years of days
 * (seeded, in day order with a few facts dated up to five days back and corrections), then measures
 * {@code GET /api/v1/accounts?asOf=…} through HTTP: warm-up, then {@code -Dbench.requests} (600)
 * requests over random days and a mix of prefixes, and reports p50/p99 per kind and overall in
 * {@code target/journal-read-benchmark.txt}. The listing of one prefix's thousands of children is
 * measured apart: it is one lookup per child.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class JournalReadBenchmark {

    static final Path DATA = TestDataDirs.create("journal-read-benchmark");
    static final LocalDate FIRST = LocalDate.parse("2023-01-01");
    static final int DAYS = 1096;
    static final int DEBTS = 5_000;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    @Autowired
    JournalProjection projection;

    @Autowired
    NamedParameterJdbcTemplate named;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @LocalServerPort
    int port;

    final Random random = new Random(20261205);
    final StringBuilder report = new StringBuilder();

    @Test
    void accountsAsOfAtOneMillionPostings() throws IOException, InterruptedException {
        long target = Long.getLong("bench.postings", 1_000_000);
        int requests = Integer.getInteger("bench.requests", 600);
        long started = System.nanoTime();
        long postings = fill(target);
        double fillSeconds = (System.nanoTime() - started) / 1e9;
        say("filled %,d postings (%,d transactions, %,d accounts, %,d balance rows (day, month, year)) in %.0f s through "
                        + "JournalProjection's batched handler", postings, count("journal_transaction"),
                count("journal_account"), count("journal_balance"), fillSeconds);
        jdbc.sql("VACUUM ANALYZE").update();

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, Supplier<String>> kinds = new LinkedHashMap<>();
        kinds.put("classes (no prefix)", () -> "");
        kinds.put("prefix=assets", () -> "&prefix=assets");
        kinds.put("prefix=assets&depth=2", () -> "&prefix=assets&depth=2");
        kinds.put("prefix=suspense", () -> "&prefix=suspense");
        kinds.put("prefix=assets:cash", () -> "&prefix=assets:cash");
        kinds.put("prefix=memo:collateral", () -> "&prefix=memo:collateral");
        kinds.put("prefix=<one debt's installments>", () -> "&prefix=assets:receivables:installments:debt-"
                + random.nextInt(DEBTS));
        kinds.put("prefix=<one slip's collections>", () -> "&prefix=suspense:collections:bank_slips:slip-"
                + random.nextInt(Math.max(1, slips)));
        List<String> names = new ArrayList<>(kinds.keySet());
        for (int i = 0; i < 200; i++) {
            get(http, "/api/v1/accounts?asOf=" + day() + kinds.get(names.get(i % names.size())).get());
        }
        Map<String, List<Long>> times = new TreeMap<>();
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String kind = names.get(i % names.size());
            long t = get(http, "/api/v1/accounts?asOf=" + day() + kinds.get(kind).get());
            times.computeIfAbsent(kind, k -> new ArrayList<>()).add(t);
            all.add(t);
        }
        say("GET /api/v1/accounts?asOf=<random day of %s..%s>, %d requests after 200 warm-up, one client:",
                FIRST, FIRST.plusDays(DAYS - 1), requests);
        times.forEach((kind, list) -> say("  %-40s n=%3d p50 %6.2f ms  p99 %6.2f ms", kind, list.size(),
                percentile(list, 50), percentile(list, 99)));
        say("  %-40s n=%3d p50 %6.2f ms  p99 %6.2f ms", "all", all.size(), percentile(all, 50), percentile(all, 99));

        List<Long> trial = new ArrayList<>();
        List<Long> listing = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            trial.add(get(http, "/api/v1/reports/trial-balance?asOf=" + day()));
            listing.add(get(http, "/api/v1/accounts?asOf=" + day() + "&prefix=assets:receivables:installments"));
        }
        say("  %-40s n=%3d p50 %6.2f ms  p99 %6.2f ms", "trial-balance", trial.size(), percentile(trial, 50),
                percentile(trial, 99));
        say("  %-40s n=%3d p50 %6.2f ms  p99 %6.2f ms", "listing " + DEBTS + " debts (installments)", listing.size(),
                percentile(listing, 50), percentile(listing, 99));
        Files.writeString(Path.of("target", "journal-read-benchmark.txt"), report);
        assertThat(postings).isGreaterThanOrEqualTo(target);
    }

    int slips;
    int installments;

    /** Generates days of events, folds them in transactions of 2,000 as a rebuild lane does; returns the postings. */
    long fill(long target) {
        List<LedgerEvent> chunk = new ArrayList<>();
        Map<Integer, List<LedgerEvent>> later = new TreeMap<>();
        long position = 0;
        long postings = 0;
        for (int day = 0; day < DAYS && postings < target; day++) {
            List<LedgerEvent> today = new ArrayList<>(later.getOrDefault(day, List.of()));
            later.remove(day);
            for (int i = 0; i < 280; i++) {
                today.addAll(facts(day, later));
            }
            chunk.addAll(today);
            if (chunk.size() >= 2_000 || day == DAYS - 1) {
                fold(chunk, position);
                position += chunk.size();
                chunk.clear();
                postings = count("journal_posting");
            }
        }
        if (!chunk.isEmpty()) {
            fold(chunk, position);
        }
        return count("journal_posting");
    }

    void fold(List<LedgerEvent> events, long from) {
        transactions.executeWithoutResult(tx -> BatchedWrites.batched(named, () -> {
            long position = from;
            for (LedgerEvent event : events) {
                position++;
                EventMessage<?> message = JournalDatabase.message(event, position);
                projection.on(event, message, new GlobalSequenceTrackingToken(position));
            }
        }));
    }

    /** A few facts of one day; some schedule their follow-up on a later day. */
    List<LedgerEvent> facts(int day, Map<Integer, List<LedgerEvent>> later) {
        String at = time(day);
        int kind = random.nextInt(10);
        String amount = amount();
        switch (kind) {
            case 0, 1 -> {
                String slip = "slip-" + slips++;
                later.computeIfAbsent(day + 1 + random.nextInt(3), d -> new ArrayList<>())
                        .add(FinanceEvents.settled(slip, random.nextInt(20) == 0 ? amount() : amount, time(day + 2)));
                return List.of(FinanceEvents.notice(slip, amount, at));
            }
            case 2 -> {
                return List.of(FinanceEvents.settled("slip-" + slips++, amount, at));
            }
            case 3, 4 -> {
                String installment = "inst-" + installments++;
                int debt = random.nextInt(DEBTS);
                later.computeIfAbsent(day + 5 + random.nextInt(25), d -> new ArrayList<>()).add(
                        withDebt(FinanceEvents.status(installment, InstallmentStatus.PAID, amount,
                                FinanceEvents.payment("pay-" + installment, amount, time(day + 20))), debt));
                return List.of(withDebt(FinanceEvents.billing(installment, "slip-" + slips, amount, null, true), debt));
            }
            case 5, 6 -> {
                return List.of(FinanceEvents.dda("dda-" + random.nextInt(200_000), "fp-" + day + "-" + amount,
                        com.qiledger.command.messages.dda.DdaBankSlipStatus.PAID, amount, amount,
                        com.qiledger.command.messages.dda.DdaBankSlipStatus.PAID, true, null,
                        FinanceEvents.sp(at)));
            }
            case 7 -> {
                String batch = "batch-" + random.nextInt(20_000);
                return List.of(FinanceEvents.batchUpdate(batch, "99999", amount, 3, 2, null, at, true));
            }
            case 8 -> {
                return List.of(FinanceEvents.tedRefused("debt-" + random.nextInt(DEBTS), amount, "refused", at));
            }
            default -> {
                return List.of(FinanceEvents.collateral("debt-" + random.nextInt(DEBTS), amount, at, true, amount));
            }
        }
    }

    static LedgerEvent withDebt(com.qiledger.command.messages.installment.InstallmentBillingIssued e, int debt) {
        return new com.qiledger.command.messages.installment.InstallmentBillingIssued(e.installmentKey(),
                "debt-" + debt, e.recordedAt(), e.billing(), e.current());
    }

    static LedgerEvent withDebt(com.qiledger.command.messages.installment.InstallmentStatusChanged e, int debt) {
        return new com.qiledger.command.messages.installment.InstallmentStatusChanged(e.installmentKey(),
                "debt-" + debt, e.occurredAt(), e.recordedAt(), e.report(), e.current(), e.statusAfter(),
                e.finishedAfter(), e.newOccurrences(), e.newPayments(), e.paidAmountAfter());
    }

    /** A time on that day; one fact in twenty is dated up to five days earlier (a late report). */
    String time(int day) {
        int back = random.nextInt(20) == 0 ? random.nextInt(6) : 0;
        return FIRST.plusDays(Math.max(0, day - back)) + "T" + String.format("%02d:%02d", 8 + random.nextInt(10),
                random.nextInt(60));
    }

    String amount() {
        return random.nextInt(100_000) / 100 + "." + String.format("%02d", random.nextInt(100));
    }

    String day() {
        return FIRST.plusDays(random.nextInt(DAYS)).toString();
    }

    long count(String table) {
        return jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single();
    }

    long get(HttpClient http, String path) throws IOException, InterruptedException {
        long t = System.nanoTime();
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        long elapsed = System.nanoTime() - t;
        assertThat(answer.statusCode()).as(path).isEqualTo(200);
        return elapsed;
    }

    static double percentile(List<Long> nanos, int p) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    void say(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println(line);
        report.append(line).append('\n');
    }
}
