package com.qiledger.api.finance;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.debt.DebtCanceledPermanently;
import com.qiledger.command.messages.installment.InstallmentStatus;
import com.qiledger.query.journal.JournalReads.TrialBalance;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.axonframework.eventhandling.EventMessage;

/**
 * The journal's invariants over random event sequences of every family (a few entities, dates out
 * of order, corrections, resends, figures that are not current): after every sequence, folded one
 * event per transaction as a live processor does,
 * <ul>
 *   <li>the trial balance closes at every date (and the memorandum accounts on their own);</li>
 *   <li>every account's and every prefix's balance as of every date is the sum of its postings up to
 *       that date;</li>
 *   <li>a rebuild (reset, then the same events in one batched run, as a rebuild lane) reproduces
 *       every journal table byte for byte, and so does a live processor taking them in batches (its
 *       entities' figures read once per batch).</li>
 * </ul>
 */
class JournalProperties {

    /**
     * The days events are dated on: across month and year ends (balances are kept per day, month and
     * year, and an as-of read adds the three), a leap day included.
     */
    static final List<LocalDate> DATES = Stream.of("2023-11-30", "2023-12-01", "2023-12-31", "2024-01-01",
            "2024-01-02", "2024-01-31", "2024-02-01", "2024-02-29", "2024-03-01", "2024-03-15", "2024-12-31",
            "2025-01-01", "2025-02-10").map(LocalDate::parse).toList();
    static final int DAYS = DATES.size() - 1;

    /** The {@code day}-th of {@link #DATES}. */
    static LocalDate date(int day) {
        return DATES.get(day);
    }

    /** Every date of {@link #DATES} and the days either side of it, in order. */
    static List<LocalDate> checkedDates() {
        return DATES.stream().flatMap(d -> Stream.of(d.minusDays(1), d, d.plusDays(1))).distinct().sorted().toList();
    }
    private static JournalDatabase db;

    static synchronized JournalDatabase db() {
        if (db == null) {
            db = JournalDatabase.start("journal-properties");
        }
        return db;
    }

    @AfterContainer
    static synchronized void stop() {
        if (db != null) {
            db.close();
            db = null;
        }
    }

    @Property(tries = 60, seed = "20261205")
    void theTrialBalanceClosesBalancesAreSumsOfPostingsAndARebuildIsByteForByte(
            @ForAll("sequences") List<LedgerEvent> events, @ForAll @IntRange(min = 1, max = 7) int batchSize) {
        JournalDatabase db = db();
        db.reset();
        List<EventMessage<?>> messages = new ArrayList<>();
        for (LedgerEvent event : events) {
            EventMessage<?> message = JournalDatabase.message(event, messages.size() + 1L);
            messages.add(message);
            db.fold(message, messages.size());
        }

        for (LocalDate day : checkedDates()) {
            TrialBalance trial = db.trialBalance(day.toString());
            assertThat(trial.balanced()).as("trial balance as of %s: %s", day, trial).isTrue();
            assertThat(trial.debits()).isEqualByComparingTo(trial.credits());
        }
        List<Map<String, Object>> wrong = db.jdbc.sql("""
                        SELECT a.address, d.day, bal.debits, bal.credits, sums.debits AS posted_debits,
                               sums.credits AS posted_credits
                        FROM (SELECT address FROM journal_account
                              UNION
                              SELECT array_to_string((string_to_array(p.account, ':'))[1 : n], ':') COLLATE "C"
                              FROM journal_posting p
                              CROSS JOIN generate_series(1, cardinality(string_to_array(p.account, ':'))) n) a
                        CROSS JOIN unnest(CAST(string_to_array(:days, ',') AS date[])) d(day)
                        LEFT JOIN LATERAL journal_balance_as_of(a.address, CAST(d.day AS date)) bal ON true
                        CROSS JOIN LATERAL (SELECT COALESCE(sum(p.debit), 0) AS debits, COALESCE(sum(p.credit), 0) AS credits
                                            FROM journal_posting p
                                            WHERE (p.account = a.address OR p.account LIKE a.address || ':%')
                                              AND p.effective_date <= d.day) sums
                        WHERE COALESCE(bal.debits, 0) <> sums.debits OR COALESCE(bal.credits, 0) <> sums.credits
                        """)
                .param("days", String.join(",", checkedDates().stream().map(LocalDate::toString).toList()))
                .query().listOfRows();
        assertThat(wrong).as("running balances that are not the sum of their postings").isEmpty();

        Map<String, List<String>> live = db.tables();
        // the same events as the store gives them (an entity's first event known as such, its figures not
        // read), one by one: the journal of the plain messages above
        List<EventMessage<?>> stored = JournalDatabase.asStored(messages);
        db.reset();
        for (int i = 0; i < stored.size(); i++) {
            db.fold(stored.get(i), i + 1);
        }
        assertThat(db.tables()).as("the journal of the stored events, one by one").isEqualTo(live);
        // either form rebuilt in one batched run (a rebuild lane) and folded by a live processor in batches
        // (its entities' figures read once per batch): the same journal
        for (Map.Entry<String, List<EventMessage<?>>> form
                : Map.of("plain messages", messages, "stored events", stored).entrySet()) {
            db.reset();
            db.foldBatched(form.getValue());
            assertThat(db.tables()).as("the journal of the %s rebuilt in one batched run", form.getKey())
                    .isEqualTo(live);
            db.reset();
            db.foldLiveBatches(form.getValue(), batchSize);
            assertThat(db.tables())
                    .as("the journal of the %s folded by a live processor in batches of %d", form.getKey(), batchSize)
                    .isEqualTo(live);
        }
    }

    @Provide
    Arbitrary<List<LedgerEvent>> sequences() {
        return Arbitraries.oneOf(List.of(slipEvents(), installmentEvents(), ddaEvents(), batchEvents(), debtEvents()))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    static Arbitrary<String> amounts() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.integers().between(0, 5000).map(Object::toString),
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("9999.99")).ofScale(2)
                        .map(BigDecimal::toPlainString),
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("999")).ofScale(8)
                        .map(BigDecimal::toPlainString)));
    }

    static Arbitrary<String> times() {
        return Combinators.combine(Arbitraries.integers().between(0, DAYS), Arbitraries.integers().between(0, 23))
                .as((day, hour) -> date(day) + "T" + String.format("%02d", hour) + ":00");
    }

    static Arbitrary<String> keys(String prefix) {
        return Arbitraries.integers().between(1, 3).map(i -> prefix + i);
    }

    static Arbitrary<LedgerEvent> slipEvents() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), keys("slip-"), amounts(), times())
                .as((kind, key, amount, at) -> switch (kind) {
                    case 0 -> FinanceEvents.notice(key, amount, at);
                    case 1 -> FinanceEvents.notaryNotice(key, amount, at);
                    case 2 -> FinanceEvents.settled(key, amount, at);
                    default -> FinanceEvents.writtenOff(key, at);
                });
    }

    static Arbitrary<LedgerEvent> installmentEvents() {
        Arbitrary<LedgerEvent> billing = Combinators.combine(keys("inst-"), amounts(), Arbitraries.of(true, false))
                .as((key, total, current) -> FinanceEvents.billing(key, "slip-1", total, "2024-01-10", current));
        Arbitrary<LedgerEvent> payments = Combinators.combine(keys("inst-"), amounts(), amounts(), times(),
                        Arbitraries.integers().between(1, 2))
                .as((key, first, second, at, count) -> count == 1
                        ? FinanceEvents.status(key, InstallmentStatus.PAID, first,
                                FinanceEvents.payment("pay-1", first, at))
                        : FinanceEvents.status(key, InstallmentStatus.PAID, first,
                                FinanceEvents.payment("pay-2", first, at), FinanceEvents.payment("pay-3", second, null)));
        return Arbitraries.oneOf(List.of(billing, payments));
    }

    static Arbitrary<LedgerEvent> ddaEvents() {
        return Combinators.combine(keys("dda-"), Arbitraries.of(DdaBankSlipStatus.PAID, DdaBankSlipStatus.PARTIALLY_PAID,
                        DdaBankSlipStatus.REGISTERED), amounts(), amounts(), Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, DAYS))
                .as((key, status, paid, partial, current, day) -> FinanceEvents.dda(key, "fp-" + paid + status, status,
                        "1200", paid, status, current, partial,
                        date(day).atTime(12, 0).atZone(FinanceEvents.SAO_PAULO).toInstant()));
    }

    static Arbitrary<LedgerEvent> batchEvents() {
        return Combinators.combine(keys("batch-"), amounts(), times(), Arbitraries.of(true, false),
                        Arbitraries.of(true, false))
                .as((key, conciliated, at, created, current) -> created
                        ? FinanceEvents.batch(key, "9999", conciliated, 3, 1, "2024-01-05", at)
                        : FinanceEvents.batchUpdate(key, "9999", conciliated, 3, 1, "2024-01-05", at, current));
    }

    static Arbitrary<LedgerEvent> debtEvents() {
        return Combinators.combine(keys("debt-"), Arbitraries.integers().between(0, 3), amounts(), times(),
                        Arbitraries.of(true, false))
                .as((key, kind, amount, at, current) -> switch (kind) {
                    case 0 -> FinanceEvents.tedRefused(key, amount, "refused", at);
                    case 1 -> FinanceEvents.pixRefused(key, "refused", at);
                    case 2 -> FinanceEvents.collateral(key, amount, at, current, amount);
                    default -> new DebtCanceledPermanently(key, FinanceEvents.sp(at), FinanceEvents.RECORDED);
                });
    }
}
