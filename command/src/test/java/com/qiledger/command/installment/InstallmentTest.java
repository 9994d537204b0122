package com.qiledger.command.installment;

import static com.qiledger.command.installment.InstallmentSamples.DEBT;
import static com.qiledger.command.installment.InstallmentSamples.KEY;
import static com.qiledger.command.installment.InstallmentSamples.RECORDED;
import static com.qiledger.command.installment.InstallmentSamples.SECOND_PAYMENT;
import static com.qiledger.command.installment.InstallmentSamples.SEED_BILLING;
import static com.qiledger.command.installment.InstallmentSamples.SEED_OCCURRENCE;
import static com.qiledger.command.installment.InstallmentSamples.SEED_PAID;
import static com.qiledger.command.installment.InstallmentSamples.SEED_PAYMENT;
import static com.qiledger.command.installment.InstallmentSamples.billing;
import static com.qiledger.command.installment.InstallmentSamples.payment;
import static com.qiledger.command.installment.InstallmentSamples.report;
import static com.qiledger.command.installment.InstallmentSamples.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

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
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InstallmentTest {

    private FixtureConfiguration<Installment> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Installment.class);
    }

    static InstallmentStatusChanged changed(RecordInstallmentStatusChange c, boolean current,
                                            InstallmentStatus after, boolean finishedAfter,
                                            List<InstallmentOccurrence> newOccurrences,
                                            List<InstallmentPayment> newPayments, String paidAmountAfter) {
        return new InstallmentStatusChanged(c.installmentKey(), c.debtKey(), c.occurredAt(), c.recordedAt(),
                c.report(), current, after, finishedAfter, newOccurrences, newPayments,
                new BigDecimal(paidAmountAfter));
    }

    /** A report without payments or occurrences that becomes current. */
    static InstallmentStatusChanged current(RecordInstallmentStatusChange c) {
        return changed(c, true, c.report().status(), Boolean.TRUE.equals(c.report().finished()), List.of(),
                List.of(), "0");
    }

    static InstallmentBillingIssued issued(RecordInstallmentBilling c, boolean current) {
        return new InstallmentBillingIssued(c.installmentKey(), c.debtKey(), c.recordedAt(), c.billing(), current);
    }

    @ParameterizedTest
    @EnumSource(InstallmentStatus.class)
    void everyStatusIsRecordedAndBecomesCurrentOnAFreshInstallment(InstallmentStatus s) {
        var change = status(report(s, "2022-09-27T10:00:00Z"));
        fixture.givenNoPriorActivity()
                .when(change)
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(current(change))
                .expectState(i -> {
                    assertThat(i.currentStatus()).isEqualTo(s);
                    assertThat(i.finished()).isFalse();
                    assertThat(i.paidAmount()).isEqualByComparingTo("0");
                    assertThat(i.knownFacts()).isEqualTo(1);
                });
    }

    @Test
    void theSeedRecordsStatusPaymentAndEventListWithTheLatestTimeAsOccurredAt() {
        var change = status(SEED_PAID);
        assertThat(change.occurredAt()).isEqualTo("2026-02-10T14:39:07Z");
        fixture.givenNoPriorActivity()
                .when(change)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(changed(change, true, InstallmentStatus.PAID, true, List.of(SEED_OCCURRENCE),
                        List.of(SEED_PAYMENT), "1009.68"))
                .expectState(i -> {
                    assertThat(i.currentStatus()).isEqualTo(InstallmentStatus.PAID);
                    assertThat(i.finished()).isTrue();
                    assertThat(i.payments()).containsOnlyKeys(SEED_PAYMENT.installmentPaymentKey());
                    assertThat(i.paidAmount()).isEqualTo(new BigDecimal("1009.68"));
                    assertThat(i.occurrences()).containsExactly(SEED_OCCURRENCE);
                    assertThat(i.currentBilling()).isNull();
                });
    }

    @Test
    void theSameStatusChangeSentAgainAppendsNothing() {
        var resent = new RecordInstallmentStatusChange(KEY, DEBT, RECORDED.plusSeconds(3600), SEED_PAID);
        fixture.givenCommands(status(SEED_PAID))
                .when(resent)
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED)
                .expectState(i -> assertThat(i.knownFacts()).isEqualTo(1));
    }

    @Test
    void theSameReportWithItsListsInAnotherOrderIsTheSameFact() {
        var occurrence2 = new InstallmentOccurrence("due_date_change", Instant.parse("2022-09-01T12:00:00Z"), null,
                Instant.parse("2022-09-01T12:00:01Z"), "opened", LocalDate.parse("2022-09-28"));
        var a = new InstallmentStatusReport(InstallmentStatus.PAID, InstallmentStatus.PAID, true, null, null,
                List.of(SEED_OCCURRENCE, occurrence2), List.of(SEED_PAYMENT, SECOND_PAYMENT));
        var b = new InstallmentStatusReport(InstallmentStatus.PAID, InstallmentStatus.PAID, true, null, null,
                List.of(occurrence2, SEED_OCCURRENCE), List.of(SECOND_PAYMENT, SEED_PAYMENT));
        fixture.givenCommands(status(a))
                .when(status(b))
                .expectNoEvents()
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED);
    }

    @Test
    void aPaymentRepeatedInALaterWebhookIsCountedOnce() {
        var partial = status(new InstallmentStatusReport(InstallmentStatus.PAID_PARTIAL,
                InstallmentStatus.PAID_PARTIAL, false, LocalDate.parse("2022-10-28"), null, List.of(),
                List.of(SEED_PAYMENT)));
        var paid = status(new InstallmentStatusReport(InstallmentStatus.PAID, InstallmentStatus.PAID, true,
                LocalDate.parse("2022-10-28"), SECOND_PAYMENT.paidAt(), List.of(),
                List.of(SEED_PAYMENT, SECOND_PAYMENT)));
        fixture.givenCommands(partial)
                .when(paid)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(changed(paid, true, InstallmentStatus.PAID, true, List.of(), List.of(SECOND_PAYMENT),
                        "1209.68"))
                .expectState(i -> {
                    assertThat(i.payments()).hasSize(2);
                    assertThat(i.paidAmount()).isEqualTo(new BigDecimal("1209.68"));
                });
    }

    @Test
    void aLaterWebhookWithOnlyKnownPaymentsAddsNoPayment() {
        var overdueReport = new InstallmentStatusReport(InstallmentStatus.PAID_OVERDUE,
                InstallmentStatus.PAID_OVERDUE, true, LocalDate.parse("2022-10-28"), Instant.parse("2026-03-01T00:00:00Z"),
                List.of(SEED_OCCURRENCE), List.of(SEED_PAYMENT));
        var later = status(overdueReport);
        fixture.givenCommands(status(SEED_PAID))
                .when(later)
                .expectEvents(changed(later, true, InstallmentStatus.PAID_OVERDUE, true, List.of(), List.of(),
                        "1009.68"))
                .expectState(i -> {
                    assertThat(i.paidAmount()).isEqualTo(new BigDecimal("1009.68"));
                    assertThat(i.occurrences()).hasSize(1);
                });
    }

    @Test
    void theInstallmentsEventListIsKeptAsASet() {
        var dueDateChange = new InstallmentOccurrence("due_date_change", Instant.parse("2022-09-01T12:00:00Z"), null,
                Instant.parse("2022-09-01T12:00:01Z"), "opened", LocalDate.parse("2022-09-28"));
        var first = status(new InstallmentStatusReport(InstallmentStatus.OPENED, InstallmentStatus.OPENED, false,
                LocalDate.parse("2022-10-28"), null, List.of(dueDateChange), List.of()));
        var second = status(new InstallmentStatusReport(InstallmentStatus.PAID, InstallmentStatus.PAID, true,
                LocalDate.parse("2022-10-28"), null, List.of(dueDateChange, SEED_OCCURRENCE, SEED_OCCURRENCE),
                List.of()));
        fixture.givenCommands(first)
                .when(second)
                .expectEvents(changed(second, true, InstallmentStatus.PAID, true, List.of(SEED_OCCURRENCE), List.of(),
                        "0"))
                .expectState(i -> assertThat(i.occurrences()).containsExactlyInAnyOrder(dueDateChange,
                        SEED_OCCURRENCE));
    }

    @Test
    void anEarlierStatusArrivingLateIsRecordedButDoesNotMoveTheStatusBack() {
        var opened = status(report(InstallmentStatus.OPENED, "2022-09-01T10:00:00Z"));
        fixture.givenCommands(status(SEED_PAID))
                .when(opened)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(changed(opened, false, InstallmentStatus.PAID, true, List.of(), List.of(), "1009.68"))
                .expectState(i -> {
                    assertThat(i.currentStatus()).isEqualTo(InstallmentStatus.PAID);
                    assertThat(i.currentStatusFact().occurredAt()).isEqualTo("2026-02-10T14:39:07Z");
                    assertThat(i.knownFacts()).isEqualTo(2);
                });
    }

    @Test
    void theLaterProviderTimeWinsEvenOverAFinishedStatus() {
        var paid = status(report(InstallmentStatus.PAID, "2022-10-01T10:00:00Z", true, List.of()));
        var overdue = status(report(InstallmentStatus.OVERDUE, "2022-11-01T10:00:00Z", false, List.of()));
        for (var order : new RecordInstallmentStatusChange[][] {{paid, overdue}, {overdue, paid}}) {
            new AggregateTestFixture<>(Installment.class)
                    .givenCommands(order[0])
                    .when(order[1])
                    .expectState(i -> {
                        assertThat(i.currentStatus()).isEqualTo(InstallmentStatus.OVERDUE);
                        // once a fact said is_finished, the installment stays finished
                        assertThat(i.finished()).isTrue();
                    });
        }
    }

    @Test
    void atTheSameInstantTheRankDecidesInEitherOrder() {
        String at = "2022-10-01T10:00:00Z";
        InstallmentStatus[] ranked = {InstallmentStatus.OPENED, InstallmentStatus.WAITING_PAYMENT,
                InstallmentStatus.OVERDUE, InstallmentStatus.PAID_PARTIAL, InstallmentStatus.PAID_PARTIAL_OVERDUE,
                InstallmentStatus.PAID_EARLY, InstallmentStatus.PAID, InstallmentStatus.PAID_OVERDUE};
        for (int lower = 0; lower < ranked.length; lower++) {
            for (int higher = lower + 1; higher < ranked.length; higher++) {
                var low = status(report(ranked[lower], at));
                var high = status(report(ranked[higher], at));
                InstallmentStatus expected = ranked[higher];
                new AggregateTestFixture<>(Installment.class).givenCommands(low).when(high)
                        .expectEvents(current(high))
                        .expectState(i -> assertThat(i.currentStatus()).isEqualTo(expected));
                new AggregateTestFixture<>(Installment.class).givenCommands(high).when(low)
                        .expectEvents(changed(low, false, expected, false, List.of(), List.of(), "0"))
                        .expectState(i -> assertThat(i.currentStatus()).isEqualTo(expected));
            }
        }
    }

    @Test
    void aReportWithoutAnyTimeIsOlderThanEveryTimedOne() {
        var timed = status(report(InstallmentStatus.OPENED, "2022-09-01T10:00:00Z"));
        var untimed = status(report(InstallmentStatus.PAID_OVERDUE, null));
        assertThat(untimed.occurredAt()).isNull();
        fixture.givenCommands(timed)
                .when(untimed)
                .expectEvents(changed(untimed, false, InstallmentStatus.OPENED, false, List.of(), List.of(), "0"))
                .expectState(i -> assertThat(i.currentStatus()).isEqualTo(InstallmentStatus.OPENED));
    }

    @Test
    void betweenReportsWithoutTimeTheRankDecides() {
        var overdue = status(report(InstallmentStatus.OVERDUE, null));
        var waiting = status(report(InstallmentStatus.WAITING_PAYMENT, null));
        fixture.givenCommands(overdue)
                .when(waiting)
                .expectEvents(changed(waiting, false, InstallmentStatus.OVERDUE, false, List.of(), List.of(), "0"))
                .expectState(i -> assertThat(i.currentStatus()).isEqualTo(InstallmentStatus.OVERDUE));
    }

    @Test
    void aDataStatusThatDisagreesWithTheInstallmentStatusIsKept() {
        var disagreeing = status(new InstallmentStatusReport(InstallmentStatus.PAID, InstallmentStatus.PAID_EARLY,
                true, LocalDate.parse("2022-10-28"), Instant.parse("2022-09-27T10:03:34Z"), List.of(), List.of()));
        fixture.givenNoPriorActivity()
                .when(disagreeing)
                .expectEvents(current(disagreeing))
                .expectState(i -> {
                    assertThat(i.currentStatus()).isEqualTo(InstallmentStatus.PAID);
                    assertThat(i.currentStatusFact().dataStatus()).isEqualTo(InstallmentStatus.PAID_EARLY);
                });
    }

    @Test
    void aPaymentKeySentWithOtherDetailsSettlesOnTheSameVersionInEitherOrder() {
        var early = payment("p1", "2026-02-10T14:00:00Z", "100.00");
        var revised = payment("p1", "2026-02-10T15:00:00Z", "90.00");
        var a = status(report(InstallmentStatus.PAID_PARTIAL, null, false, List.of(early)));
        var b = status(report(InstallmentStatus.PAID_PARTIAL, null, false, List.of(revised)));
        new AggregateTestFixture<>(Installment.class).givenCommands(a).when(b)
                .expectEvents(changed(b, true, InstallmentStatus.PAID_PARTIAL, false, List.of(), List.of(revised),
                        "90.00"))
                .expectState(i -> assertThat(i.payments()).containsEntry("p1", revised));
        new AggregateTestFixture<>(Installment.class).givenCommands(b).when(a)
                .expectEvents(changed(a, false, InstallmentStatus.PAID_PARTIAL, false, List.of(), List.of(),
                        "90.00"))
                .expectState(i -> {
                    assertThat(i.payments()).containsEntry("p1", revised);
                    assertThat(i.paidAmount()).isEqualTo(new BigDecimal("90.00"));
                });
    }

    @Test
    void theSameContentUnderAnotherDebtKeyIsAnotherFact() {
        var elsewhere = new RecordInstallmentStatusChange(KEY, "other-debt", RECORDED, SEED_PAID);
        fixture.givenCommands(status(SEED_PAID))
                .when(elsewhere)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectState(i -> assertThat(i.knownFacts()).isEqualTo(2));
    }

    @Test
    void aBillingIsRecordedAndBecomesCurrent() {
        var issued = billing(SEED_BILLING);
        fixture.givenNoPriorActivity()
                .when(issued)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(issued(issued, true))
                .expectState(i -> {
                    assertThat(i.currentBilling()).isEqualTo(SEED_BILLING);
                    assertThat(i.currentBilling().principalAmortizationAmount())
                            .isEqualTo(new BigDecimal("141.07452576"));
                    assertThat(i.currentStatus()).isNull();
                    assertThat(i.knownFacts()).isEqualTo(1);
                });
    }

    @Test
    void aBillingBeforeAnyStatusIsKeptWhenTheStatusArrives() {
        var change = status(SEED_PAID);
        fixture.givenCommands(billing(SEED_BILLING))
                .when(change)
                .expectEvents(changed(change, true, InstallmentStatus.PAID, true, List.of(SEED_OCCURRENCE),
                        List.of(SEED_PAYMENT), "1009.68"))
                .expectState(i -> {
                    assertThat(i.currentBilling()).isEqualTo(SEED_BILLING);
                    assertThat(i.currentStatus()).isEqualTo(InstallmentStatus.PAID);
                    assertThat(i.knownFacts()).isEqualTo(2);
                });
    }

    @Test
    void aStatusBeforeTheBillingKeepsItsStatusWhenTheBillingArrives() {
        var issued = billing(SEED_BILLING);
        fixture.givenCommands(status(SEED_PAID))
                .when(issued)
                .expectEvents(issued(issued, true))
                .expectState(i -> {
                    assertThat(i.currentStatus()).isEqualTo(InstallmentStatus.PAID);
                    assertThat(i.paidAmount()).isEqualTo(new BigDecimal("1009.68"));
                });
    }

    @Test
    void theSameBillingSentAgainAppendsNothing() {
        var resent = new RecordInstallmentBilling(KEY, DEBT, RECORDED.plusSeconds(60), SEED_BILLING);
        fixture.givenCommands(billing(SEED_BILLING))
                .when(resent)
                .expectNoEvents()
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED)
                .expectState(i -> assertThat(i.billings()).hasSize(1));
    }

    @Test
    void aSecondBillingWithALaterDueDateBecomesCurrentAndBothAreKept() {
        var later = billing(billing("2024-08-17", "216.97", "2"));
        fixture.givenCommands(billing(SEED_BILLING))
                .when(later)
                .expectEvents(issued(later, true))
                .expectState(i -> {
                    assertThat(i.currentBilling()).isEqualTo(later.billing());
                    assertThat(i.billings()).hasSize(2);
                });
    }

    @Test
    void aSecondBillingWithAnEarlierDueDateIsKeptButNotCurrent() {
        var earlier = billing(billing("2024-06-17", "999.99", "9"));
        fixture.givenCommands(billing(SEED_BILLING))
                .when(earlier)
                .expectEvents(issued(earlier, false))
                .expectState(i -> {
                    assertThat(i.currentBilling()).isEqualTo(SEED_BILLING);
                    assertThat(i.billings()).hasSize(2);
                });
    }

    @Test
    void billingsDueTheSameDayAreDecidedByTotalThenDigitableLineInEitherOrder() {
        InstallmentBilling small = billing("2024-07-17", "100.00", "9");
        InstallmentBilling large = billing("2024-07-17", "100.01", "1");
        InstallmentBilling largeOtherLine = billing("2024-07-17", "100.01", "2");
        for (var order : new InstallmentBilling[][] {{small, large, largeOtherLine}, {largeOtherLine, large, small},
                {large, largeOtherLine, small}}) {
            new AggregateTestFixture<>(Installment.class)
                    .givenCommands(billing(order[0]), billing(order[1]))
                    .when(billing(order[2]))
                    .expectState(i -> assertThat(i.currentBilling()).isEqualTo(largeOtherLine));
        }
    }

    @Test
    void commandsTargetAPrefixedStreamAndRequireTheirFacts() {
        assertThat(status(SEED_PAID).aggregateId()).isEqualTo("Installment:" + KEY);
        assertThat(billing(SEED_BILLING).aggregateId()).isEqualTo("Installment:" + KEY);
        assertThat(new InstallmentBillingIssued(KEY, DEBT, RECORDED, SEED_BILLING, true).occurredAt()).isNull();
        assertThatNullPointerException()
                .isThrownBy(() -> new RecordInstallmentStatusChange(null, DEBT, RECORDED, SEED_PAID))
                .withMessage("installmentKey");
        assertThatNullPointerException()
                .isThrownBy(() -> new RecordInstallmentStatusChange(KEY, null, RECORDED, SEED_PAID))
                .withMessage("debtKey");
        assertThatNullPointerException()
                .isThrownBy(() -> new RecordInstallmentBilling(KEY, DEBT, RECORDED, null))
                .withMessage("billing");
        assertThatNullPointerException()
                .isThrownBy(() -> new InstallmentStatusReport(null, InstallmentStatus.PAID, null, null, null, null,
                        null))
                .withMessage("status");
        assertThatNullPointerException()
                .isThrownBy(() -> new InstallmentPayment(null, null, null, null))
                .withMessage("installmentPaymentKey");
    }
}
