package com.qiledger.command.installment;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.common.LedgerCommand;
import com.qiledger.command.messages.common.RecordingResult;
import com.qiledger.command.messages.installment.InstallmentBilling;
import com.qiledger.command.messages.installment.InstallmentBillingIssued;
import com.qiledger.command.messages.installment.InstallmentOccurrence;
import com.qiledger.command.messages.installment.InstallmentPayment;
import com.qiledger.command.messages.installment.InstallmentStatus;
import com.qiledger.command.messages.installment.InstallmentStatusChanged;
import com.qiledger.command.messages.installment.InstallmentStatusReport;
import com.qiledger.command.messages.installment.RecordInstallmentBilling;
import com.qiledger.command.messages.installment.RecordInstallmentStatusChange;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;

/**
 * Out-of-order delivery is normal: whatever order the status changes and billings of one installment
 * arrive in, and however often each is resent, the installment ends in the same state, holds each
 * distinct fact once, counts each payment key once, and the events it emitted fold (as the read model
 * folds them) into that same state. Few distinct times, statuses and amounts equal in value but not
 * in scale make ties common on purpose.
 */
class InstallmentOrderProperties {

    static final String KEY = InstallmentSamples.KEY;

    record Arrivals(List<LedgerCommand> facts, long shuffleSeed, int resends) {

        List<LedgerCommand> shuffledWithResends() {
            List<LedgerCommand> arrival = new ArrayList<>(facts);
            Random random = new Random(shuffleSeed);
            for (int i = 0; i < resends; i++) {
                // a resend carries the identical body; only the ledger's receipt time differs
                Instant later = InstallmentSamples.RECORDED.plusSeconds(60L * (i + 1));
                LedgerCommand again = arrival.get(random.nextInt(arrival.size()));
                arrival.add(again instanceof RecordInstallmentStatusChange s
                        ? new RecordInstallmentStatusChange(s.installmentKey(), s.debtKey(), later, s.report())
                        : resent((RecordInstallmentBilling) again, later));
            }
            Collections.shuffle(arrival, random);
            return arrival;
        }

        private static RecordInstallmentBilling resent(RecordInstallmentBilling b, Instant later) {
            return new RecordInstallmentBilling(b.installmentKey(), b.debtKey(), later, b.billing());
        }

        List<Installment.StatusFact> statusFacts() {
            return facts.stream().filter(RecordInstallmentStatusChange.class::isInstance)
                    .map(RecordInstallmentStatusChange.class::cast)
                    .map(c -> Installment.StatusFact.of(c.debtKey(), c.report()))
                    .toList();
        }

        List<Installment.BillingFact> billingFacts() {
            return facts.stream().filter(RecordInstallmentBilling.class::isInstance)
                    .map(RecordInstallmentBilling.class::cast)
                    .map(c -> new Installment.BillingFact(c.debtKey(), c.billing()))
                    .toList();
        }
    }

    static Instant hour(int h) {
        return Instant.parse("2022-09-27T10:00:00Z").plusSeconds(3600L * h);
    }

    @Provide
    Arbitrary<Arrivals> arrivals() {
        Arbitrary<Instant> time = Arbitraries.integers().between(0, 2).map(InstallmentOrderProperties::hour)
                .injectNull(0.3);
        Arbitrary<BigDecimal> amount = Arbitraries.of("10.5", "10.50", "100.00").map(BigDecimal::new).injectNull(0.1);
        Arbitrary<InstallmentPayment> payment = Combinators.combine(
                        Arbitraries.of("p1", "p2", "p3"), time, amount, Arbitraries.of("pix", "bank_slip"))
                .as(InstallmentPayment::new);
        Arbitrary<InstallmentOccurrence> occurrence = Combinators.combine(
                        Arbitraries.of("payment", "due_date_change"), time, amount,
                        Arbitraries.of("opened", "overdue"))
                .as((type, at, value, old) -> new InstallmentOccurrence(type, at, value, at, old, null));
        Arbitrary<InstallmentStatusReport> report = Combinators.combine(
                        Arbitraries.of(InstallmentStatus.class),
                        Arbitraries.of(InstallmentStatus.class),
                        Arbitraries.of(true, false).injectNull(0.2),
                        Arbitraries.of(LocalDate.parse("2022-10-28"), LocalDate.parse("2022-11-28")),
                        time,
                        occurrence.list().ofMaxSize(2),
                        payment.list().ofMaxSize(2))
                .as(InstallmentStatusReport::new);
        Arbitrary<String> debt = Arbitraries.of(InstallmentSamples.DEBT, InstallmentSamples.DEBT, "other-debt");
        Arbitrary<LedgerCommand> statusChange = Combinators.combine(debt, report)
                .as((d, r) -> new RecordInstallmentStatusChange(KEY, d, InstallmentSamples.RECORDED, r));
        Arbitrary<InstallmentBilling> billing = Combinators.combine(
                        Arbitraries.of("1", "2"),
                        Arbitraries.of(LocalDate.parse("2024-07-17"), LocalDate.parse("2024-08-17")).injectNull(0.1),
                        amount,
                        Arbitraries.of("bs1", "bs2"))
                .as((line, due, total, slip) -> new InstallmentBilling(line, null, null, null, null, slip, due,
                        total));
        Arbitrary<LedgerCommand> billingCommand = Combinators.combine(debt, billing)
                .as((d, b) -> new RecordInstallmentBilling(KEY, d, InstallmentSamples.RECORDED, b));
        return Combinators.combine(
                        Arbitraries.oneOf(statusChange, statusChange, billingCommand).list().ofMinSize(1).ofMaxSize(7),
                        Arbitraries.longs(),
                        Arbitraries.integers().between(0, 4))
                .as(Arrivals::new);
    }

    /** Per payment key, the greatest version reported anywhere. */
    static Map<String, InstallmentPayment> standingPayments(List<Installment.StatusFact> facts) {
        Map<String, InstallmentPayment> standing = new HashMap<>();
        facts.forEach(f -> f.payments().forEach(p -> standing.merge(p.installmentPaymentKey(), p,
                (a, b) -> Installment.PAYMENT_ORDER.compare(a, b) >= 0 ? a : b)));
        return standing;
    }

    static BigDecimal sum(Map<String, InstallmentPayment> payments) {
        return payments.values().stream().map(InstallmentPayment::paidAmount).filter(Objects::nonNull)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Property(tries = 300)
    void finalStateDoesNotDependOnArrivalOrder(@ForAll("arrivals") Arrivals arrivals) {
        List<LedgerCommand> arrival = arrivals.shuffledWithResends();
        List<Installment.StatusFact> statusFacts = arrivals.statusFacts();
        Installment.StatusFact winner = statusFacts.stream().max(Installment.LATEST).orElse(null);
        boolean finished = statusFacts.stream().anyMatch(f -> Boolean.TRUE.equals(f.finished()));
        Map<String, InstallmentPayment> payments = standingPayments(statusFacts);
        Set<InstallmentOccurrence> occurrences = statusFacts.stream().flatMap(f -> f.occurrences().stream())
                .collect(Collectors.toSet());
        Installment.BillingFact billing = arrivals.billingFacts().stream().max(Installment.BILLING_ORDER)
                .orElse(null);
        long distinct = statusFacts.stream().distinct().count() + arrivals.billingFacts().stream().distinct().count();

        new AggregateTestFixture<>(Installment.class)
                .givenCommands(arrival.subList(0, arrival.size() - 1).toArray())
                .when(arrival.get(arrival.size() - 1))
                .expectSuccessfulHandlerExecution()
                .expectState(i -> {
                    assertThat(i.currentStatusFact()).isEqualTo(winner);
                    assertThat(i.currentStatus()).isEqualTo(winner == null ? null : winner.status());
                    assertThat(i.finished()).isEqualTo(finished);
                    assertThat(i.payments()).isEqualTo(payments);
                    assertThat(i.paidAmount()).isEqualTo(sum(payments));
                    assertThat(i.occurrences()).isEqualTo(occurrences);
                    assertThat(i.currentBilling()).isEqualTo(billing == null ? null : billing.billing());
                    assertThat(i.knownFacts()).isEqualTo(distinct);
                });
    }

    /**
     * The read model does not decide; it folds the events: the last status event marked current gives
     * the status fields, payments are upserted by key, occurrences appended, the last paid amount and
     * finished flag stand, the last billing marked current is the billing. That fold must land on the
     * state the aggregate derives from the set of facts.
     */
    @Property(tries = 200)
    void theEmittedEventsFoldIntoTheSameState(@ForAll("arrivals") Arrivals arrivals) {
        List<LedgerCommand> arrival = arrivals.shuffledWithResends();
        List<Installment.StatusFact> statusFacts = arrivals.statusFacts();
        var fixture = new AggregateTestFixture<>(Installment.class);
        fixture.givenCommands(arrival.subList(0, arrival.size() - 1).toArray())
                .when(arrival.get(arrival.size() - 1))
                .expectSuccessfulHandlerExecution();
        // every event of the stream: those of the given commands and those of the last one
        List<Object> events = fixture.getEventStore().readEvents("Installment:" + KEY).asStream()
                .map(EventMessage::getPayload).map(Object.class::cast).toList();

        InstallmentStatusReport status = null;
        boolean finished = false;
        BigDecimal paid = null;
        Map<String, InstallmentPayment> payments = new HashMap<>();
        List<InstallmentOccurrence> occurrences = new ArrayList<>();
        InstallmentBilling billing = null;
        int billings = 0;
        for (Object e : events) {
            if (e instanceof InstallmentStatusChanged s) {
                if (s.current()) {
                    status = s.report();
                }
                assertThat(s.statusAfter()).isEqualTo(status.status());
                finished = s.finishedAfter();
                paid = s.paidAmountAfter();
                s.newPayments().forEach(p -> payments.put(p.installmentPaymentKey(), p));
                occurrences.addAll(s.newOccurrences());
            } else if (e instanceof InstallmentBillingIssued b) {
                billings++;
                if (b.current()) {
                    billing = b.billing();
                }
            }
        }
        Installment.StatusFact winner = statusFacts.stream().max(Installment.LATEST).orElse(null);
        Map<String, InstallmentPayment> expectedPayments = standingPayments(statusFacts);
        assertThat(status == null ? null : status.status()).isEqualTo(winner == null ? null : winner.status());
        assertThat(status == null ? null : Installment.StatusFact.of(winner.debtKey(), status)).isEqualTo(winner);
        assertThat(finished).isEqualTo(statusFacts.stream().anyMatch(f -> Boolean.TRUE.equals(f.finished())));
        assertThat(payments).isEqualTo(expectedPayments);
        assertThat(paid).isEqualTo(statusFacts.isEmpty() ? null : sum(expectedPayments));
        assertThat(occurrences).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(statusFacts.stream().flatMap(f -> f.occurrences().stream())
                        .collect(Collectors.toSet()));
        assertThat(billing).isEqualTo(arrivals.billingFacts().stream().max(Installment.BILLING_ORDER)
                .map(Installment.BillingFact::billing).orElse(null));
        assertThat(billings).isEqualTo(arrivals.billingFacts().stream().distinct().count());
    }

    @Property(tries = 100)
    void onlyTheFirstArrivalOfAFactIsRecorded(@ForAll("arrivals") Arrivals arrivals) {
        List<LedgerCommand> arrival = arrivals.shuffledWithResends();
        LedgerCommand last = arrival.get(arrival.size() - 1);
        Set<Object> before = new HashSet<>();
        arrival.subList(0, arrival.size() - 1).forEach(c -> before.add(fact(c)));
        boolean seen = before.contains(fact(last));

        new AggregateTestFixture<>(Installment.class)
                .givenCommands(arrival.subList(0, arrival.size() - 1).toArray())
                .when(last)
                .expectResultMessagePayload(seen ? RecordingResult.ALREADY_RECORDED : RecordingResult.RECORDED)
                .expectState(i -> assertThat(i.knownFacts()).isEqualTo(before.size() + (seen ? 0 : 1)));
    }

    @Property(tries = 200)
    void theOrdersAreTotalAndAgreeWithEqualityOfFacts(@ForAll("arrivals") Arrivals arrivals) {
        List<Installment.StatusFact> statusFacts = arrivals.statusFacts();
        for (var a : statusFacts) {
            for (var b : statusFacts) {
                int order = Installment.LATEST.compare(a, b);
                assertThat(order == 0).isEqualTo(a.equals(b));
                assertThat(Integer.signum(order)).isEqualTo(-Integer.signum(Installment.LATEST.compare(b, a)));
            }
        }
        List<Installment.BillingFact> billingFacts = arrivals.billingFacts();
        for (var a : billingFacts) {
            for (var b : billingFacts) {
                int order = Installment.BILLING_ORDER.compare(a, b);
                assertThat(order == 0).isEqualTo(a.equals(b));
                assertThat(Integer.signum(order)).isEqualTo(-Integer.signum(Installment.BILLING_ORDER.compare(b, a)));
            }
        }
    }

    private static Object fact(LedgerCommand c) {
        if (c instanceof RecordInstallmentStatusChange s) {
            return Installment.StatusFact.of(s.debtKey(), s.report());
        }
        RecordInstallmentBilling b = (RecordInstallmentBilling) c;
        return new Installment.BillingFact(b.debtKey(), b.billing());
    }
}
