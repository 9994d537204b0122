package com.qiledger.command.bankslip;

import static com.qiledger.command.bankslip.BankSlipSamples.command;
import static com.qiledger.command.messages.bankslip.BankSlipStatus.NOTARY_OFFICE_PAYMENT_NOTICE;
import static com.qiledger.command.messages.bankslip.BankSlipStatus.PAID;
import static com.qiledger.command.messages.bankslip.BankSlipStatus.PAYMENT_NOTICE;
import static com.qiledger.command.messages.bankslip.BankSlipStatus.REGISTERED;
import static com.qiledger.command.messages.bankslip.BankSlipStatus.REJECTED;
import static com.qiledger.command.messages.bankslip.BankSlipStatus.WRITTEN_OFF;
import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.bankslip.BankSlipNotaryPaymentNotified;
import com.qiledger.command.messages.bankslip.BankSlipPaid;
import com.qiledger.command.messages.bankslip.BankSlipPaymentNotified;
import com.qiledger.command.messages.bankslip.BankSlipRegistered;
import com.qiledger.command.messages.bankslip.BankSlipRejected;
import com.qiledger.command.messages.bankslip.BankSlipStatus;
import com.qiledger.command.messages.bankslip.BankSlipWrittenOff;
import com.qiledger.command.messages.bankslip.PaymentOrigin;
import com.qiledger.command.messages.bankslip.RecordBankSlipStatus;
import com.qiledger.command.messages.bankslip.WriteOffReason;
import com.qiledger.command.messages.common.RecordingResult;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BankSlipTest {

    private FixtureConfiguration<BankSlip> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(BankSlip.class);
    }

    private static Object expected(RecordBankSlipStatus c, BankSlipStatus after) {
        return switch (c.status()) {
            case REGISTERED -> new BankSlipRegistered(c.bankSlipKey(), c.occurredAt(), c.recordedAt(), c.facts(), after);
            case REJECTED -> new BankSlipRejected(c.bankSlipKey(), c.occurredAt(), c.recordedAt(), c.facts(), after);
            case PAYMENT_NOTICE -> new BankSlipPaymentNotified(c.bankSlipKey(), c.occurredAt(), c.recordedAt(), c.facts(), after);
            case NOTARY_OFFICE_PAYMENT_NOTICE ->
                    new BankSlipNotaryPaymentNotified(c.bankSlipKey(), c.occurredAt(), c.recordedAt(), c.facts(), after);
            case PAID -> new BankSlipPaid(c.bankSlipKey(), c.occurredAt(), c.recordedAt(), c.facts(), after);
            case WRITTEN_OFF -> new BankSlipWrittenOff(c.bankSlipKey(), c.occurredAt(), c.recordedAt(), c.facts(),
                    c.writeOffReason(), after);
        };
    }

    @Test
    void registrationCreatesTheSlip() {
        var registered = command(REGISTERED, "2023-01-09T10:00:00Z");
        fixture.givenNoPriorActivity()
                .when(registered)
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(expected(registered, REGISTERED));
    }

    /**
     * Facts are hashed by status and time only (issue 20); equality still compares all they say, so a
     * payment at the same moment with another amount is a new fact, and the same one again is not.
     */
    @Test
    void aFactAtTheSameStatusAndTimeSayingSomethingElseIsNewTheSameOneAgainIsNot() {
        var paid = command(PAID, "2023-01-10T17:08:46Z");
        var facts = paid.facts();
        var payment = facts.payment();
        var otherAmount = new RecordBankSlipStatus(paid.bankSlipKey(), PAID, paid.occurredAt(), paid.recordedAt(),
                new com.qiledger.command.messages.bankslip.BankSlipFacts(facts.ourNumber(), facts.expiration(),
                        facts.rebateAmount(), facts.occurrence(),
                        new com.qiledger.command.messages.bankslip.SlipPayment(new java.math.BigDecimal("600.00"),
                                payment.discountAmount(), payment.paidInterestAmount(), payment.paymentBank(),
                                payment.paymentBankIspb(), payment.paymentBranch(), payment.paymentAccount(),
                                payment.paymentMethod(), payment.paymentOrigin(), payment.paidIn(),
                                payment.paymentCreditDate(), payment.originType(), payment.agentType(),
                                payment.selectedUserAgent())),
                null);
        assertThat(new BankSlip.Fact(PAID, paid.occurredAt(), otherAmount.facts(), null))
                .hasSameHashCodeAs(new BankSlip.Fact(PAID, paid.occurredAt(), facts, null))
                .isNotEqualTo(new BankSlip.Fact(PAID, paid.occurredAt(), facts, null));
        fixture.givenCommands(paid).when(otherAmount).expectEvents(expected(otherAmount, PAID));
        fixture.givenCommands(paid).when(paid).expectNoEvents()
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED);
    }

    @Test
    void everyStatusCanBeTheFirstFactSeen() {
        for (BankSlipStatus status : BankSlipStatus.values()) {
            var c = command(status, "2023-01-10T17:08:46Z");
            new AggregateTestFixture<>(BankSlip.class).givenNoPriorActivity()
                    .when(c)
                    .expectEvents(expected(c, status));
        }
    }

    @Test
    void paymentNoticeAfterRegistrationMovesTheSlipForward() {
        var registered = command(REGISTERED, "2023-01-09T10:00:00Z");
        var notice = command(PAYMENT_NOTICE, "2023-01-10T10:00:00Z");
        fixture.givenCommands(registered).when(notice).expectEvents(expected(notice, PAYMENT_NOTICE));
    }

    @Test
    void notaryPaymentNoticeAfterRegistrationMovesTheSlipForward() {
        var registered = command(REGISTERED, "2023-01-09T10:00:00Z");
        var notice = command(NOTARY_OFFICE_PAYMENT_NOTICE, "2023-01-10T10:00:00Z");
        fixture.givenCommands(registered).when(notice).expectEvents(expected(notice, NOTARY_OFFICE_PAYMENT_NOTICE));
    }

    @Test
    void paymentAfterNoticeSettlesTheSlip() {
        var notice = command(PAYMENT_NOTICE, "2023-01-10T10:00:00Z");
        var paid = command(PAID, "2023-01-11T10:00:00Z");
        fixture.givenCommands(command(REGISTERED, "2023-01-09T10:00:00Z"), notice)
                .when(paid)
                .expectEvents(expected(paid, PAID))
                .expectState(slip -> assertThat(slip.currentStatus()).isEqualTo(PAID));
    }

    @Test
    void writeOffAfterRegistrationEndsTheSlip() {
        var writtenOff = command(WRITTEN_OFF, "2021-04-20T14:55:09Z");
        fixture.givenCommands(command(REGISTERED, "2021-04-17T10:00:00Z"))
                .when(writtenOff)
                .expectEvents(expected(writtenOff, WRITTEN_OFF));
        assertThat(writtenOff.writeOffReason()).isEqualTo(new WriteOffReason("16",
                "written off by the institution after the deadline", "Título Baixado pelo Banco por decurso de Prazo"));
    }

    @Test
    void rejectionAfterRegistrationEndsTheSlip() {
        var rejected = command(REJECTED, "2023-01-09T11:00:00Z");
        fixture.givenCommands(command(REGISTERED, "2023-01-09T10:00:00Z"))
                .when(rejected)
                .expectEvents(expected(rejected, REJECTED));
    }

    @Test
    void paidSlipIgnoresLateRegistration() {
        var lateRegistration = command(REGISTERED, "2023-01-09T10:00:00Z");
        fixture.givenCommands(command(PAID, "2023-01-10T17:08:46Z"))
                .when(lateRegistration)
                .expectEvents(expected(lateRegistration, PAID))
                .expectState(slip -> assertThat(slip.currentStatus()).isEqualTo(PAID));
    }

    @Test
    void paidSlipIgnoresLatePaymentNotice() {
        var lateNotice = command(PAYMENT_NOTICE, "2023-01-10T10:00:00Z");
        fixture.givenCommands(command(REGISTERED, "2023-01-09T10:00:00Z"), command(PAID, "2023-01-11T10:00:00Z"))
                .when(lateNotice)
                .expectEvents(expected(lateNotice, PAID));
    }

    @Test
    void paymentOutranksAnEarlierOrLaterWriteOff() {
        var paid = command(PAID, "2023-01-10T10:00:00Z");
        fixture.givenCommands(command(WRITTEN_OFF, "2023-01-12T10:00:00Z"))
                .when(paid)
                .expectEvents(expected(paid, PAID));
    }

    @Test
    void writtenOffSlipIgnoresLateRegistrationAndNotice() {
        var notice = command(NOTARY_OFFICE_PAYMENT_NOTICE, "2023-01-10T10:00:00Z");
        fixture.givenCommands(command(WRITTEN_OFF, "2023-01-12T10:00:00Z"), command(REGISTERED, "2023-01-09T10:00:00Z"))
                .when(notice)
                .expectEvents(expected(notice, WRITTEN_OFF));
    }

    @Test
    void betweenEqualRanksTheLaterProviderTimeWins() {
        var earlierNotary = command(NOTARY_OFFICE_PAYMENT_NOTICE, "2023-01-10T09:00:00Z");
        fixture.givenCommands(command(PAYMENT_NOTICE, "2023-01-10T10:00:00Z"))
                .when(earlierNotary)
                .expectEvents(expected(earlierNotary, PAYMENT_NOTICE));
    }

    @Test
    void theSameFactSentAgainAppendsNothing() {
        var paid = command(PAID, "2023-01-10T17:08:46Z");
        fixture.givenCommands(command(REGISTERED, "2023-01-09T10:00:00Z"), paid)
                .when(paid)
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED);
    }

    @Test
    void theSameStatusAtAnotherTimeIsANewFact() {
        var again = command(PAYMENT_NOTICE, "2023-01-10T11:00:00Z");
        fixture.givenCommands(command(PAYMENT_NOTICE, "2023-01-10T10:00:00Z"))
                .when(again)
                .expectEvents(expected(again, PAYMENT_NOTICE));
    }

    @Test
    void paymentOriginCodesAreDecodedWhateverTheirSpelling() {
        assertThat(PaymentOrigin.decode("901")).isEqualTo(new PaymentOrigin("901", "Pix QR code"));
        assertThat(PaymentOrigin.decode("03")).isEqualTo(new PaymentOrigin("3", "internet banking"));
        assertThat(PaymentOrigin.decode("4")).isEqualTo(new PaymentOrigin("4", "unknown"));
        assertThat(PaymentOrigin.decode(" ")).isNull();
        // every zero but a last one is dropped; a zero before a non-digit stays (as the regex it replaced)
        assertThat(PaymentOrigin.decode(" 000 ").code()).isEqualTo("0");
        assertThat(PaymentOrigin.decode("0009").code()).isEqualTo("9");
        assertThat(PaymentOrigin.decode("00a").code()).isEqualTo("0a");
        assertThat(PaymentOrigin.decode("0").code()).isEqualTo("0");
        assertThat(WriteOffReason.decode("0", null).description()).isEqualTo("accepted");
        assertThat(WriteOffReason.decode("14", "x").description()).isEqualTo("protested at a notary");
    }
}
