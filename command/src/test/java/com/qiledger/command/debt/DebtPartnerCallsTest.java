package com.qiledger.command.debt;

import static com.qiledger.command.debt.DebtSamples.KEY;
import static com.qiledger.command.debt.DebtSamples.RECORDED;
import static com.qiledger.command.debt.DebtSamples.SEED_PIX;
import static com.qiledger.command.debt.DebtSamples.cancellationAt;
import static com.qiledger.command.debt.DebtSamples.permanentAt;
import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.common.RecordingResult;
import com.qiledger.command.messages.debt.DebtCanceled;
import com.qiledger.command.messages.debt.DebtCanceledPermanently;
import com.qiledger.command.messages.debt.DebtFactType;
import com.qiledger.command.messages.debt.DebtStatus;
import com.qiledger.command.messages.debt.DisbursementBankAccount;
import com.qiledger.command.messages.debt.DisbursementDateChangeRequested;
import com.qiledger.command.messages.debt.PartnerCallAccepted;
import com.qiledger.command.messages.debt.PartnerCallAttemptFailed;
import com.qiledger.command.messages.debt.PartnerCallConfirmed;
import com.qiledger.command.messages.debt.PartnerCallGivenUp;
import com.qiledger.command.messages.debt.PartnerCallKind;
import com.qiledger.command.messages.debt.PartnerCallOutcome;
import com.qiledger.command.messages.debt.PartnerCallReceipt;
import com.qiledger.command.messages.debt.PartnerCallRefused;
import com.qiledger.command.messages.debt.PartnerCallRejected;
import com.qiledger.command.messages.debt.PartnerCallState;
import com.qiledger.command.messages.debt.PermanentCancellationRequested;
import com.qiledger.command.messages.debt.RecordPartnerCallAnswer;
import com.qiledger.command.messages.debt.RequestDisbursementDateChange;
import com.qiledger.command.messages.debt.RequestPermanentCancellation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The debt's rules for the partner's calls (issue 22): who may ask, what is recorded, what confirms. */
class DebtPartnerCallsTest {

    static final Instant ASKED = Instant.parse("2026-03-10T13:00:00Z");
    static final Instant ANSWERED = Instant.parse("2026-03-10T13:00:02Z");
    static final String ID = "9b2f0c7e-1111-4c1d-8e5f-2a9b0c4d6e71";
    static final String ID2 = "9b2f0c7e-2222-4c1d-8e5f-2a9b0c4d6e71";

    private FixtureConfiguration<Debt> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Debt.class);
    }

    static DebtCanceled refused() {
        var c = cancellationAt("2026-03-09T12:00:00Z", SEED_PIX);
        return new DebtCanceled(KEY, c.occurredAt(), RECORDED, c.refusal(), true, DebtStatus.CANCELED);
    }

    static RequestPermanentCancellation cancel(String id) {
        return new RequestPermanentCancellation(KEY, id, null, "operator", ASKED, "customer gave up the loan");
    }

    static PermanentCancellationRequested cancelRequested(String id) {
        return new PermanentCancellationRequested(KEY, id, null, "operator", ASKED, ASKED, "customer gave up the loan");
    }

    static DisbursementBankAccount account(String percentage) {
        return new DisbursementBankAccount("1232", "4", "412412412", "checking_account", "37197645832", "184",
                "17298092", "Worker", new BigDecimal(percentage));
    }

    static RequestDisbursementDateChange change(String id, String date, DisbursementBankAccount... accounts) {
        return new RequestDisbursementDateChange(KEY, id, null, "operator", ASKED, LocalDate.parse(date),
                List.of(accounts), "{\"disbursement_date\":\"" + date + "\"}");
    }

    static RecordPartnerCallAnswer answer(String id, int attempt, PartnerCallOutcome outcome, Integer status) {
        return new RecordPartnerCallAnswer(KEY, id, attempt, outcome, status, status == null ? null : "{\"s\":" + status + "}",
                status == null ? "timed out after 10 s" : null, ANSWERED);
    }

    @Test
    void aPermanentCancellationIsRequestedOnAKnownDebt() {
        fixture.given(refused())
                .when(cancel(ID))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(new PartnerCallReceipt(ID, true))
                .expectEvents(cancelRequested(ID));
    }

    @Test
    void noCallOnADebtTheLedgerDoesNotKnow() {
        fixture.givenNoPriorActivity()
                .when(cancel(ID))
                .expectException(AggregateNotFoundException.class)
                .expectNoEvents();
    }

    @Test
    void aSecondCancellationWhileOneIsInFlightIsRefused() {
        fixture.given(refused(), cancelRequested(ID))
                .when(cancel(ID2))
                .expectException(PartnerCallRejected.class)
                .expectExceptionMessage("a permanent cancellation is already pending (request " + ID + ")")
                .expectNoEvents();
    }

    @Test
    void anAcceptedCancellationIsStillInFlightUntilItsWebhook() {
        fixture.given(refused(), cancelRequested(ID), new PartnerCallAccepted(KEY, ID, PartnerCallKind.CANCEL_PERMANENTLY,
                        1, 200, "{}", null, ANSWERED, ANSWERED, PartnerCallState.ACCEPTED))
                .when(cancel(ID2))
                .expectException(PartnerCallRejected.class)
                .expectNoEvents();
    }

    @Test
    void aRefusedCancellationMayBeAskedAgain() {
        fixture.given(refused(), cancelRequested(ID), new PartnerCallRefused(KEY, ID, PartnerCallKind.CANCEL_PERMANENTLY,
                        1, 422, "{}", null, ANSWERED, ANSWERED, PartnerCallState.REFUSED))
                .when(cancel(ID2))
                .expectSuccessfulHandlerExecution()
                .expectEvents(cancelRequested(ID2));
    }

    @Test
    void aDebtCanceledPermanentlyTakesNoCall() {
        var permanent = permanentAt("2026-03-01T12:00:00Z");
        fixture.given(refused(), new DebtCanceledPermanently(KEY, permanent.occurredAt(), RECORDED))
                .when(cancel(ID))
                .expectException(PartnerCallRejected.class)
                .expectExceptionMessage("the debt is already canceled permanently")
                .expectNoEvents();
        fixture.given(refused(), new DebtCanceledPermanently(KEY, permanent.occurredAt(), RECORDED))
                .when(change(ID, "2026-03-20", account("100")))
                .expectException(PartnerCallRejected.class)
                .expectNoEvents();
    }

    @Test
    void theSameIdempotencyKeyAnswersTheFirstRequestAndAppendsNothing() {
        fixture.given(refused(), cancelRequested(ID))
                .when(cancel(ID))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(new PartnerCallReceipt(ID, false))
                .expectNoEvents();
    }

    @Test
    void theSameIdempotencyKeyForSomethingElseIsRefused() {
        fixture.given(refused(), cancelRequested(ID))
                .when(change(ID, "2026-03-20", account("100")))
                .expectException(PartnerCallRejected.class)
                .expectNoEvents();
    }

    @Test
    void aNewDisbursementDateIsRequestedWithItsExactBody() {
        var command = change(ID, "2026-03-10", account("50"), account("50.0"));
        fixture.given(refused())
                .when(command)
                .expectSuccessfulHandlerExecution()
                .expectEvents(new DisbursementDateChangeRequested(KEY, ID, null, "operator", ASKED, ASKED,
                        LocalDate.parse("2026-03-10"), command.bankAccounts(), command.requestBody()));
    }

    @Test
    void aDateInThePastIsRefusedNamingTheField() {
        // 2026-03-10T13:00Z is 10:00 on 2026-03-10 in Sao Paulo: the 9th is past
        fixture.given(refused())
                .when(change(ID, "2026-03-09", account("100")))
                .expectException(PartnerCallRejected.class)
                .expectExceptionMessage("disbursement_date 2026-03-09 is in the past (today is 2026-03-10 in "
                        + "America/Sao_Paulo)")
                .expectNoEvents();
    }

    @Test
    void percentagesThatDoNotAddUpTo100AreRefused() {
        fixture.given(refused())
                .when(change(ID, "2026-03-20", account("60"), account("30")))
                .expectException(PartnerCallRejected.class)
                .expectExceptionMessage("the accounts' percentage_receivable add up to 90, not 100")
                .expectNoEvents();
        fixture.given(refused())
                .when(change(ID, "2026-03-20"))
                .expectException(PartnerCallRejected.class)
                .expectNoEvents();
    }

    @Test
    void aFailedAttemptKeepsTheCallPendingThenItsAcceptanceIsRecordedOnce() {
        fixture.given(refused(), cancelRequested(ID))
                .when(answer(ID, 1, PartnerCallOutcome.FAILED, 500))
                .expectEvents(new PartnerCallAttemptFailed(KEY, ID, PartnerCallKind.CANCEL_PERMANENTLY, 1, 500,
                        "{\"s\":500}", null, ANSWERED, ANSWERED, PartnerCallState.PENDING));
        var accepted = new PartnerCallAccepted(KEY, ID, PartnerCallKind.CANCEL_PERMANENTLY, 2, 200, "{\"s\":200}", null,
                ANSWERED, ANSWERED, PartnerCallState.ACCEPTED);
        fixture.given(refused(), cancelRequested(ID))
                .when(answer(ID, 2, PartnerCallOutcome.ACCEPTED, 200))
                .expectEvents(accepted);
        fixture.given(refused(), cancelRequested(ID), accepted)
                .when(answer(ID, 2, PartnerCallOutcome.ACCEPTED, 200))
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED)
                .expectNoEvents();
    }

    @Test
    void givingUpIsRecordedAndAllowsANewCancellation() {
        var gaveUp = new PartnerCallGivenUp(KEY, ID, PartnerCallKind.CANCEL_PERMANENTLY, 4, null, null,
                "timed out after 10 s", ANSWERED, ANSWERED, PartnerCallState.GAVE_UP);
        fixture.given(refused(), cancelRequested(ID))
                .when(answer(ID, 4, PartnerCallOutcome.GAVE_UP, null))
                .expectEvents(gaveUp);
        fixture.given(refused(), cancelRequested(ID), gaveUp)
                .when(cancel(ID2))
                .expectEvents(cancelRequested(ID2));
    }

    @Test
    void theCanceledPermanentlyWebhookConfirmsTheOpenCancellation() {
        var webhook = permanentAt("2026-03-10T16:00:00Z");
        fixture.given(refused(), cancelRequested(ID), new PartnerCallAccepted(KEY, ID,
                        PartnerCallKind.CANCEL_PERMANENTLY, 1, 200, "{}", null, ANSWERED, ANSWERED, PartnerCallState.ACCEPTED))
                .when(webhook)
                .expectEvents(new DebtCanceledPermanently(KEY, webhook.occurredAt(), webhook.recordedAt()),
                        new PartnerCallConfirmed(KEY, ID, PartnerCallKind.CANCEL_PERMANENTLY,
                                DebtFactType.PERMANENT_CANCELLATION, webhook.occurredAt(), webhook.recordedAt()))
                .expectState(debt -> {
                    assertThat(debt.callState(ID)).isEqualTo(PartnerCallState.CONFIRMED);
                    assertThat(debt.isFinal()).isTrue();
                });
    }

    @Test
    void anAnswerAfterTheWebhookIsRecordedAndTheCallStaysConfirmed() {
        var webhook = permanentAt("2026-03-10T16:00:00Z");
        fixture.given(refused(), cancelRequested(ID),
                        new DebtCanceledPermanently(KEY, webhook.occurredAt(), RECORDED),
                        new PartnerCallConfirmed(KEY, ID, PartnerCallKind.CANCEL_PERMANENTLY,
                                DebtFactType.PERMANENT_CANCELLATION, webhook.occurredAt(), RECORDED))
                .when(answer(ID, 1, PartnerCallOutcome.ACCEPTED, 200))
                .expectEvents(new PartnerCallAccepted(KEY, ID, PartnerCallKind.CANCEL_PERMANENTLY, 1, 200,
                        "{\"s\":200}", null, ANSWERED, ANSWERED, PartnerCallState.CONFIRMED));
    }

    @Test
    void aLaterDisbursementRefusalConfirmsTheChangeOfDateButAnEarlierOneDoesNot() {
        var command = change(ID, "2026-03-20", account("100"));
        var asked = new DisbursementDateChangeRequested(KEY, ID, null, "operator", ASKED, ASKED,
                LocalDate.parse("2026-03-20"), command.bankAccounts(), command.requestBody());
        var later = cancellationAt("2026-03-20T15:00:00Z", SEED_PIX);
        fixture.given(refused(), asked)
                .when(later)
                .expectEvents(new DebtCanceled(KEY, later.occurredAt(), later.recordedAt(), later.refusal(), true,
                                DebtStatus.CANCELED),
                        new PartnerCallConfirmed(KEY, ID, PartnerCallKind.CHANGE_DISBURSEMENT_DATE,
                                DebtFactType.CANCELLATION, later.occurredAt(), later.recordedAt()));
        var earlier = cancellationAt("2026-03-08T15:00:00Z", DebtTest.pix("other"));
        fixture.given(refused(), asked)
                .when(earlier)
                .expectEvents(new DebtCanceled(KEY, earlier.occurredAt(), earlier.recordedAt(), earlier.refusal(),
                        false, DebtStatus.CANCELED));
    }
}
