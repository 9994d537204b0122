package com.qiledger.command.debt;

import static com.qiledger.command.debt.DebtSamples.KEY;
import static com.qiledger.command.debt.DebtSamples.RECORDED;
import static com.qiledger.command.debt.DebtSamples.SEED_COLLATERAL;
import static com.qiledger.command.debt.DebtSamples.SEED_FAILURE;
import static com.qiledger.command.debt.DebtSamples.SEED_PIX;
import static com.qiledger.command.debt.DebtSamples.SEED_TED;
import static com.qiledger.command.debt.DebtSamples.cancellationAt;
import static com.qiledger.command.debt.DebtSamples.collateral;
import static com.qiledger.command.debt.DebtSamples.collateralAt;
import static com.qiledger.command.debt.DebtSamples.failureAt;
import static com.qiledger.command.debt.DebtSamples.permanentAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.qiledger.command.messages.common.RecordingResult;
import com.qiledger.command.messages.debt.Collateral;
import com.qiledger.command.messages.debt.CollateralCheck;
import com.qiledger.command.messages.debt.CollateralConstituted;
import com.qiledger.command.messages.debt.CollateralReported;
import com.qiledger.command.messages.debt.DebtCanceled;
import com.qiledger.command.messages.debt.DebtCanceledPermanently;
import com.qiledger.command.messages.debt.DebtFactIgnoredAfterFinalState;
import com.qiledger.command.messages.debt.DebtFactType;
import com.qiledger.command.messages.debt.DebtStatus;
import com.qiledger.command.messages.debt.DisbursementRefusal;
import com.qiledger.command.messages.debt.PixRefusal;
import com.qiledger.command.messages.debt.PrivatePensionReservationFailed;
import com.qiledger.command.messages.debt.RecordCollateral;
import com.qiledger.command.messages.debt.RecordDebtCanceledPermanently;
import com.qiledger.command.messages.debt.RecordDebtCancellation;
import com.qiledger.command.messages.debt.RecordReservationFailure;
import com.qiledger.command.messages.debt.ReservationFailure;
import com.qiledger.command.messages.debt.TedRefusal;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DebtTest {

    static final String COLLATERAL_AT = "2025-07-10T05:15:01Z";
    static final String FAILED_AT = "2025-10-26T19:41:28Z";
    static final String CANCELED_AT = "2025-03-18T19:41:28Z";

    private FixtureConfiguration<Debt> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Debt.class);
    }

    static CollateralCheck fine(String fundsTotal) {
        return new CollateralCheck(new BigDecimal(fundsTotal), List.of());
    }

    static Object constituted(RecordCollateral c, CollateralCheck check, boolean current, DebtStatus after) {
        return new CollateralConstituted(KEY, c.occurredAt(), c.recordedAt(), c.collateral(), check, current, after);
    }

    static Object canceled(RecordDebtCancellation c, boolean latest, DebtStatus after) {
        return new DebtCanceled(KEY, c.occurredAt(), c.recordedAt(), c.refusal(), latest, after);
    }

    static DisbursementRefusal pix(String enumerator) {
        return DisbursementRefusal.pix(new PixRefusal(enumerator, "refused: " + enumerator));
    }

    @Test
    void aConstitutedCollateralIsRecordedExactlyAndBecomesCurrent() {
        var reported = collateralAt(COLLATERAL_AT, SEED_COLLATERAL);
        fixture.givenNoPriorActivity()
                .when(reported)
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(constituted(reported, fine("1500"), true, DebtStatus.COLLATERAL_CONSTITUTED))
                .expectState(debt -> {
                    assertThat(debt.currentStatus()).isEqualTo(DebtStatus.COLLATERAL_CONSTITUTED);
                    assertThat(debt.currentCollateral()).isEqualTo(SEED_COLLATERAL);
                    assertThat(debt.currentCollateral().investmentFunds()).hasSize(3);
                    assertThat(debt.isFinal()).isFalse();
                    assertThat(debt.knownFacts()).isEqualTo(1);
                });
    }

    @Test
    void aCollateralWhoseFundsDoNotAddUpIsFlaggedNotRefused() {
        var mismatched = collateralAt(COLLATERAL_AT, collateral(true, "1600.00", "500", "500", "500.10"));
        fixture.givenNoPriorActivity()
                .when(mismatched)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(constituted(mismatched,
                        new CollateralCheck(new BigDecimal("1500.10"), List.of(CollateralCheck.LOCKS_MISMATCH)),
                        true, DebtStatus.COLLATERAL_CONSTITUTED))
                .expectState(debt -> {
                    assertThat(debt.currentCollateral()).isEqualTo(mismatched.collateral());
                    assertThat(debt.currentCollateral().totalGrossAmountLock()).isEqualTo(new BigDecimal("1600.00"));
                });
    }

    @Test
    void locksEqualInValueButNotInScaleAreNoMismatch() {
        var c = collateralAt(COLLATERAL_AT, collateral(true, "1500.00", "500", "500.0", "500"));
        fixture.givenNoPriorActivity()
                .when(c)
                .expectEvents(constituted(c, fine("1500.0"), true, DebtStatus.COLLATERAL_CONSTITUTED));
    }

    @Test
    void aCollateralNotSaidToBeConstitutedIsReported() {
        var notYet = collateralAt(COLLATERAL_AT, collateral(null, "10", "10"));
        fixture.givenNoPriorActivity()
                .when(notYet)
                .expectEvents(new CollateralReported(KEY, notYet.occurredAt(), RECORDED, notYet.collateral(),
                        fine("10"), true, DebtStatus.COLLATERAL_REPORTED))
                .expectState(debt -> assertThat(debt.currentStatus()).isEqualTo(DebtStatus.COLLATERAL_REPORTED));
    }

    @Test
    void anEarlierCollateralArrivingLateIsRecordedButNotCurrent() {
        var later = collateralAt(COLLATERAL_AT, SEED_COLLATERAL);
        var earlier = collateralAt("2025-07-09T05:15:01Z", collateral(false, "100", "100"));
        fixture.givenCommands(later)
                .when(earlier)
                .expectEvents(new CollateralReported(KEY, earlier.occurredAt(), RECORDED, earlier.collateral(),
                        fine("100"), false, DebtStatus.COLLATERAL_CONSTITUTED))
                .expectState(debt -> {
                    assertThat(debt.currentCollateral()).isEqualTo(SEED_COLLATERAL);
                    assertThat(debt.knownFacts()).isEqualTo(2);
                });
    }

    @Test
    void aFailedReservationIsRecorded() {
        var failed = failureAt(FAILED_AT, SEED_FAILURE);
        fixture.givenCommands(collateralAt(COLLATERAL_AT, SEED_COLLATERAL))
                .when(failed)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(new PrivatePensionReservationFailed(KEY, failed.occurredAt(), RECORDED, SEED_FAILURE,
                        DebtStatus.RESERVATION_FAILED))
                .expectState(debt -> {
                    assertThat(debt.currentStatus()).isEqualTo(DebtStatus.RESERVATION_FAILED);
                    assertThat(debt.reservationFailures()).isEqualTo(1);
                    assertThat(debt.currentCollateral()).isEqualTo(SEED_COLLATERAL);
                });
    }

    @Test
    void aTedRefusalCancelsTheDebtWithAllItsDetails() {
        var ted = cancellationAt(CANCELED_AT, SEED_TED);
        fixture.givenNoPriorActivity()
                .when(ted)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(canceled(ted, true, DebtStatus.CANCELED))
                .expectState(debt -> {
                    assertThat(debt.currentStatus()).isEqualTo(DebtStatus.CANCELED);
                    assertThat(debt.latestRefusal()).isEqualTo(SEED_TED);
                    TedRefusal details = debt.latestRefusal().tedRefusal();
                    assertThat(details.amount()).isEqualTo(new BigDecimal("483.6"));
                    assertThat(details.destination().document()).isEqualTo("12345678900");
                    assertThat(details.origin().accountKey()).isEqualTo("a1d2dea5-fa90-4676-a125-da355fdc3ed0");
                    assertThat(debt.isFinal()).isFalse();
                });
    }

    @Test
    void aPixRefusalCancelsTheDebt() {
        var pix = cancellationAt(CANCELED_AT, SEED_PIX);
        fixture.givenNoPriorActivity()
                .when(pix)
                .expectEvents(canceled(pix, true, DebtStatus.CANCELED))
                .expectState(debt -> {
                    assertThat(debt.latestRefusal().pixRefusal().reasonEnumerator())
                            .isEqualTo("invalid_document_number");
                    assertThat(debt.refusals()).isEqualTo(1);
                });
    }

    @Test
    void everyRefusalIsKeptAndTheLaterOneIsTheLatest() {
        var first = cancellationAt(CANCELED_AT, SEED_TED);
        var resubmittedAndRefusedAgain = cancellationAt("2025-03-20T12:00:00Z", SEED_PIX);
        fixture.givenCommands(first)
                .when(resubmittedAndRefusedAgain)
                .expectEvents(canceled(resubmittedAndRefusedAgain, true, DebtStatus.CANCELED))
                .expectState(debt -> {
                    assertThat(debt.refusals()).isEqualTo(2);
                    assertThat(debt.latestRefusal()).isEqualTo(SEED_PIX);
                    assertThat(debt.knownFacts()).isEqualTo(2);
                });
    }

    @Test
    void anEarlierRefusalArrivingLateIsKeptButIsNotTheLatest() {
        var later = cancellationAt("2025-03-20T12:00:00Z", SEED_PIX);
        var earlier = cancellationAt(CANCELED_AT, SEED_TED);
        fixture.givenCommands(later)
                .when(earlier)
                .expectEvents(canceled(earlier, false, DebtStatus.CANCELED))
                .expectState(debt -> {
                    assertThat(debt.refusals()).isEqualTo(2);
                    assertThat(debt.latestRefusal()).isEqualTo(SEED_PIX);
                });
    }

    @Test
    void theSameRefusalAtAnotherTimeIsANewRefusal() {
        var again = cancellationAt("2025-03-19T19:41:28Z", SEED_TED);
        fixture.givenCommands(cancellationAt(CANCELED_AT, SEED_TED))
                .when(again)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(canceled(again, true, DebtStatus.CANCELED))
                .expectState(debt -> assertThat(debt.refusals()).isEqualTo(2));
    }

    @Test
    void theLaterProviderTimeDecidesTheStatusNotTheArrival() {
        // the seed's own times: canceled in March, collateral in July, reservation failed in October
        fixture.givenCommands(failureAt(FAILED_AT, SEED_FAILURE), collateralAt(COLLATERAL_AT, SEED_COLLATERAL))
                .when(cancellationAt(CANCELED_AT, SEED_TED))
                .expectEvents(canceled(cancellationAt(CANCELED_AT, SEED_TED), true, DebtStatus.RESERVATION_FAILED))
                .expectState(debt -> assertThat(debt.currentStatus()).isEqualTo(DebtStatus.RESERVATION_FAILED));
    }

    @Test
    void atTheSameInstantTheFixedRankDecidesInEitherOrder() {
        var collateral = collateralAt(CANCELED_AT, SEED_COLLATERAL);
        var failure = failureAt(CANCELED_AT, SEED_FAILURE);
        var refusal = cancellationAt(CANCELED_AT, SEED_PIX);
        for (var order : new Object[][] {{collateral, failure, refusal}, {refusal, failure, collateral},
                {failure, refusal, collateral}}) {
            new AggregateTestFixture<>(Debt.class)
                    .givenCommands(order[0], order[1])
                    .when(order[2])
                    .expectState(debt -> assertThat(debt.currentStatus()).isEqualTo(DebtStatus.CANCELED));
        }
        new AggregateTestFixture<>(Debt.class)
                .givenCommands(failure)
                .when(collateral)
                .expectEvents(constituted(collateral, fine("1500"), true, DebtStatus.RESERVATION_FAILED));
    }

    @Test
    void twoRefusalsAtTheSameInstantSettleOnTheSameLatestInEitherOrder() {
        var ted = cancellationAt(CANCELED_AT, SEED_TED);
        var pix = cancellationAt(CANCELED_AT, SEED_PIX);
        DisbursementRefusal expected = Canonical.text(SEED_TED).compareTo(Canonical.text(SEED_PIX)) > 0
                ? SEED_TED : SEED_PIX;
        for (var order : new RecordDebtCancellation[][] {{ted, pix}, {pix, ted}}) {
            new AggregateTestFixture<>(Debt.class)
                    .givenCommands(order[0])
                    .when(order[1])
                    .expectState(debt -> {
                        assertThat(debt.latestRefusal()).isEqualTo(expected);
                        assertThat(debt.refusals()).isEqualTo(2);
                    });
        }
    }

    @Test
    void canceledPermanentlyIsFinal() {
        var permanent = permanentAt(CANCELED_AT);
        fixture.givenCommands(collateralAt(COLLATERAL_AT, SEED_COLLATERAL), failureAt(FAILED_AT, SEED_FAILURE))
                .when(permanent)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(new DebtCanceledPermanently(KEY, permanent.occurredAt(), RECORDED))
                .expectState(debt -> {
                    assertThat(debt.currentStatus()).isEqualTo(DebtStatus.CANCELED_PERMANENTLY);
                    assertThat(debt.isFinal()).isTrue();
                    assertThat(debt.currentCollateral()).isEqualTo(SEED_COLLATERAL);
                    assertThat(debt.knownFacts()).isEqualTo(3);
                });
    }

    @Test
    void aRefusalAfterTheFinalStateIsRecordedAsIgnoredAndChangesNothing() {
        // provider time later than the final fact's: still ignored, the final state is final
        var late = cancellationAt("2025-04-01T10:00:00Z", SEED_PIX);
        fixture.givenCommands(cancellationAt(CANCELED_AT, SEED_TED), permanentAt(CANCELED_AT))
                .when(late)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(new DebtFactIgnoredAfterFinalState(KEY, DebtFactType.CANCELLATION, late.occurredAt(),
                        RECORDED, null, null, SEED_PIX))
                .expectState(debt -> {
                    assertThat(debt.currentStatus()).isEqualTo(DebtStatus.CANCELED_PERMANENTLY);
                    assertThat(debt.latestRefusal()).isEqualTo(SEED_TED);
                    assertThat(debt.refusals()).isEqualTo(1);
                    assertThat(debt.ignoredAfterFinal()).isEqualTo(1);
                    assertThat(debt.knownFacts()).isEqualTo(3);
                });
    }

    @Test
    void everyKindOfFactAfterTheFinalStateIsIgnoredWithItsContent() {
        var collateral = collateralAt(COLLATERAL_AT, SEED_COLLATERAL);
        var failure = failureAt(FAILED_AT, SEED_FAILURE);
        var secondPermanent = permanentAt("2025-03-19T10:00:00Z");
        fixture.givenCommands(permanentAt(CANCELED_AT), collateral, failure)
                .when(secondPermanent)
                .expectEvents(new DebtFactIgnoredAfterFinalState(KEY, DebtFactType.PERMANENT_CANCELLATION,
                        secondPermanent.occurredAt(), RECORDED, null, null, null))
                .expectState(debt -> {
                    assertThat(debt.currentStatus()).isEqualTo(DebtStatus.CANCELED_PERMANENTLY);
                    assertThat(debt.currentCollateral()).isNull();
                    assertThat(debt.reservationFailures()).isZero();
                    assertThat(debt.ignoredAfterFinal()).isEqualTo(3);
                    assertThat(debt.knownFacts()).isEqualTo(4);
                });
        new AggregateTestFixture<>(Debt.class)
                .givenCommands(permanentAt(CANCELED_AT))
                .when(collateral)
                .expectEvents(new DebtFactIgnoredAfterFinalState(KEY, DebtFactType.COLLATERAL, collateral.occurredAt(),
                        RECORDED, SEED_COLLATERAL, null, null));
        new AggregateTestFixture<>(Debt.class)
                .givenCommands(permanentAt(CANCELED_AT))
                .when(failure)
                .expectEvents(new DebtFactIgnoredAfterFinalState(KEY, DebtFactType.RESERVATION_FAILURE,
                        failure.occurredAt(), RECORDED, null, SEED_FAILURE, null));
    }

    @Test
    void aResendOfEachFactAppendsNothing() {
        List<Object> facts = List.of(collateralAt(COLLATERAL_AT, SEED_COLLATERAL), failureAt(FAILED_AT, SEED_FAILURE),
                cancellationAt(CANCELED_AT, SEED_TED), cancellationAt(CANCELED_AT, SEED_PIX),
                permanentAt(CANCELED_AT));
        for (Object fact : facts) {
            new AggregateTestFixture<>(Debt.class)
                    .givenCommands(facts.toArray())
                    .when(resentLater(fact))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED)
                    .expectState(debt -> assertThat(debt.knownFacts()).isEqualTo(5));
        }
    }

    @Test
    void aResendOfAFactIgnoredAfterTheFinalStateAppendsNothing() {
        var late = failureAt(FAILED_AT, SEED_FAILURE);
        fixture.givenCommands(permanentAt(CANCELED_AT), late)
                .when(resentLater(late))
                .expectNoEvents()
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED)
                .expectState(debt -> assertThat(debt.ignoredAfterFinal()).isEqualTo(1));
    }

    @Test
    void aFactFromBeforeTheFinalStateResentAfterItAppendsNothing() {
        var ted = cancellationAt(CANCELED_AT, SEED_TED);
        fixture.givenCommands(ted, permanentAt(CANCELED_AT))
                .when(resentLater(ted))
                .expectNoEvents()
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED)
                .expectState(debt -> assertThat(debt.ignoredAfterFinal()).isZero());
    }

    /** The identical fact in a later delivery: only the ledger's receipt time differs. */
    static Object resentLater(Object fact) {
        Instant later = RECORDED.plusSeconds(3600);
        if (fact instanceof RecordCollateral c) {
            return new RecordCollateral(c.debtKey(), c.occurredAt(), later, c.collateral());
        }
        if (fact instanceof RecordReservationFailure c) {
            return new RecordReservationFailure(c.debtKey(), c.occurredAt(), later, c.failure());
        }
        if (fact instanceof RecordDebtCancellation c) {
            return new RecordDebtCancellation(c.debtKey(), c.occurredAt(), later, c.refusal());
        }
        RecordDebtCanceledPermanently c = (RecordDebtCanceledPermanently) fact;
        return new RecordDebtCanceledPermanently(c.debtKey(), c.occurredAt(), later);
    }

    @Test
    void commandsTargetAPrefixedStreamAndRequireTheirFacts() {
        assertThat(permanentAt(CANCELED_AT).aggregateId()).isEqualTo("Debt:" + KEY);
        assertThat(new RecordDebtCanceledPermanently("<Debt Key>", Instant.EPOCH, RECORDED).aggregateId())
                .isEqualTo("Debt:<Debt Key>");
        assertThatNullPointerException()
                .isThrownBy(() -> new RecordCollateral(null, RECORDED, RECORDED, SEED_COLLATERAL))
                .withMessage("debtKey");
        assertThatNullPointerException()
                .isThrownBy(() -> new RecordReservationFailure(KEY, null, RECORDED, SEED_FAILURE))
                .withMessage("occurredAt");
        assertThatNullPointerException()
                .isThrownBy(() -> new RecordDebtCancellation(KEY, RECORDED, RECORDED, null))
                .withMessage("refusal");
        assertThatNullPointerException()
                .isThrownBy(() -> new Collateral("private_pension", true, null, List.of()))
                .withMessage("totalGrossAmountLock");
        assertThatNullPointerException()
                .isThrownBy(() -> new DisbursementRefusal(DisbursementRefusal.TED, null, null))
                .withMessage("tedRefusal");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new DisbursementRefusal("boleto_refusal", null, null))
                .withMessage("unknown cancel_reason 'boleto_refusal'");
        assertThat(new ReservationFailure(null, null, null)).isNotNull();
    }

    @Test
    void documentNumbersAndNamesStayOutOfTextForLogs() {
        String text = SEED_TED + " " + SEED_COLLATERAL;
        assertThat(text).doesNotContain("12345678900").doesNotContain("32402502000135")
                .doesNotContain("NOME DO EMPREGADO");
        assertThat(Canonical.text(SEED_TED)).contains("12345678900");
    }
}
