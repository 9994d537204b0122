package com.qiledger.command.dda;

import static com.qiledger.command.dda.DdaBankSlipSamples.KEY;
import static com.qiledger.command.dda.DdaBankSlipSamples.PAID;
import static com.qiledger.command.dda.DdaBankSlipSamples.RECORDED;
import static com.qiledger.command.dda.DdaBankSlipSamples.REGISTERED;
import static com.qiledger.command.dda.DdaBankSlipSamples.REGISTRATION;
import static com.qiledger.command.dda.DdaBankSlipSamples.UPDATE;
import static com.qiledger.command.dda.DdaBankSlipSamples.registration;
import static com.qiledger.command.dda.DdaBankSlipSamples.update;
import static com.qiledger.command.dda.DdaBankSlipSamples.withCodes;
import static com.qiledger.command.dda.DdaBankSlipSamples.withStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.qiledger.command.messages.common.RecordingResult;
import com.qiledger.command.messages.dda.DdaBankSlipRegistered;
import com.qiledger.command.messages.dda.DdaBankSlipSnapshot;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.dda.DdaBankSlipUpdated;
import com.qiledger.command.messages.dda.DdaDataQualityFlag;
import com.qiledger.command.messages.dda.RecordDdaBankSlipSnapshot;
import java.math.BigDecimal;
import java.util.List;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DdaBankSlipTest {

    private FixtureConfiguration<DdaBankSlip> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(DdaBankSlip.class);
    }

    static String fp(DdaBankSlipSnapshot snapshot) {
        return SnapshotFingerprint.of(snapshot);
    }

    /** The event a command yields, given the state the aggregate decides. */
    static Object expected(RecordDdaBankSlipSnapshot c, List<DdaDataQualityFlag> flags, DdaBankSlipStatus after,
                           boolean current, String partiallyPaid) {
        BigDecimal sum = new BigDecimal(partiallyPaid);
        return c.isRegistration()
                ? new DdaBankSlipRegistered(c.slipKey(), c.recordedAt(), c.snapshot(), fp(c.snapshot()), flags, after,
                        current, sum)
                : new DdaBankSlipUpdated(c.slipKey(), c.webhookType(), c.recordedAt(), c.snapshot(), fp(c.snapshot()),
                        flags, after, current, sum);
    }

    static Object current(RecordDdaBankSlipSnapshot c, String partiallyPaid) {
        return expected(c, List.of(), c.snapshot().status(), true, partiallyPaid);
    }

    @Test
    void registrationRecordsTheSlip() {
        var registration = registration(REGISTERED);
        fixture.givenNoPriorActivity()
                .when(registration)
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(current(registration, "0"))
                .expectState(slip -> {
                    assertThat(slip.currentStatus()).isEqualTo(DdaBankSlipStatus.REGISTERED);
                    assertThat(slip.currentFingerprint()).isEqualTo(fp(REGISTERED)).hasSize(64);
                    assertThat(slip.knownSnapshots()).isEqualTo(1);
                    assertThat(slip.partiallyPaidAmount()).isEqualByComparingTo("0");
                });
    }

    @Test
    void theSeedUpdatePaysTheRegisteredSlip() {
        var paid = update(PAID);
        fixture.givenCommands(registration(REGISTERED))
                .when(paid)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(current(paid, "0"))
                .expectState(slip -> {
                    assertThat(slip.currentStatus()).isEqualTo(DdaBankSlipStatus.PAID);
                    assertThat(slip.currentFingerprint()).isEqualTo(fp(PAID));
                    assertThat(slip.knownSnapshots()).isEqualTo(2);
                });
    }

    @Test
    void anUpdateBeforeItsRegistrationCreatesTheSlip() {
        var paid = update(PAID);
        fixture.givenNoPriorActivity()
                .when(paid)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(current(paid, "0"))
                .expectState(slip -> assertThat(slip.currentStatus()).isEqualTo(DdaBankSlipStatus.PAID));
    }

    @Test
    void aLateRegistrationIsRecordedButNeverMovesAPaidSlipBack() {
        var late = registration(REGISTERED);
        fixture.givenCommands(update(PAID))
                .when(late)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(expected(late, List.of(), DdaBankSlipStatus.PAID, false, "0"))
                .expectState(slip -> {
                    assertThat(slip.currentStatus()).isEqualTo(DdaBankSlipStatus.PAID);
                    assertThat(slip.currentFingerprint()).isEqualTo(fp(PAID));
                    assertThat(slip.knownSnapshots()).isEqualTo(2);
                });
    }

    @Test
    void theSameSnapshotResentAppendsNothing() {
        fixture.givenCommands(registration(REGISTERED), update(PAID))
                .when(new RecordDdaBankSlipSnapshot(KEY, UPDATE, RECORDED.plusSeconds(3600), PAID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED)
                .expectState(slip -> assertThat(slip.knownSnapshots()).isEqualTo(2));
    }

    @Test
    void theSameSnapshotUnderTheOtherWebhookTypeIsNothingNew() {
        fixture.givenCommands(registration(REGISTERED))
                .when(update(REGISTERED))
                .expectNoEvents()
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED);
    }

    @Test
    void anEqualSnapshotBuiltAnewIsTheSameFact() {
        // equal content, other instances (as two deliveries with other whitespace would give)
        var again = withCodes(REGISTERED, new String(REGISTERED.barcode().toCharArray()),
                REGISTERED.digitableLine() + "");
        fixture.givenCommands(registration(REGISTERED))
                .when(registration(again))
                .expectNoEvents()
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED);
    }

    @Test
    void partialPaymentsAccumulate() {
        var first = update(withStatus(DdaBankSlipStatus.PARTIALLY_PAID, "100.50"));
        var second = update(withStatus(DdaBankSlipStatus.PARTIALLY_PAID, "200"));
        boolean secondWinsTie = fp(second.snapshot()).compareTo(fp(first.snapshot())) > 0;
        fixture.givenCommands(registration(REGISTERED), first)
                .when(second)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(expected(second, List.of(), DdaBankSlipStatus.PARTIALLY_PAID, secondWinsTie, "300.50"))
                .expectState(slip -> {
                    assertThat(slip.currentStatus()).isEqualTo(DdaBankSlipStatus.PARTIALLY_PAID);
                    assertThat(slip.partiallyPaidAmount()).isEqualTo(new BigDecimal("300.50"));
                    assertThat(slip.partialPayments()).isEqualTo(2);
                    assertThat(slip.knownSnapshots()).isEqualTo(3);
                });
    }

    @Test
    void aResentPartialPaymentIsCountedOnce() {
        var partial = update(withStatus(DdaBankSlipStatus.PARTIALLY_PAID, "100.50"));
        fixture.givenCommands(registration(REGISTERED), partial)
                .when(partial)
                .expectNoEvents()
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED)
                .expectState(slip -> {
                    assertThat(slip.partiallyPaidAmount()).isEqualTo(new BigDecimal("100.50"));
                    assertThat(slip.partialPayments()).isEqualTo(1);
                });
    }

    @Test
    void aPaymentAfterPartialsSettlesTheSlipAndKeepsThePartials() {
        var paid = update(withStatus(DdaBankSlipStatus.PAID, "1200.00"));
        fixture.givenCommands(registration(REGISTERED),
                        update(withStatus(DdaBankSlipStatus.PARTIALLY_PAID, "100.50")),
                        update(withStatus(DdaBankSlipStatus.PARTIALLY_PAID, "99.50")))
                .when(paid)
                .expectEvents(current(paid, "200.00"))
                .expectState(slip -> {
                    assertThat(slip.currentStatus()).isEqualTo(DdaBankSlipStatus.PAID);
                    assertThat(slip.currentFingerprint()).isEqualTo(fp(paid.snapshot()));
                    assertThat(slip.partiallyPaidAmount()).isEqualTo(new BigDecimal("200.00"));
                });
    }

    @Test
    void aLatePartialPaymentStillAccumulatesOnAPaidSlip() {
        var late = update(withStatus(DdaBankSlipStatus.PARTIALLY_PAID, "100.50"));
        fixture.givenCommands(update(PAID))
                .when(late)
                .expectEvents(expected(late, List.of(), DdaBankSlipStatus.PAID, false, "100.50"))
                .expectState(slip -> {
                    assertThat(slip.currentStatus()).isEqualTo(DdaBankSlipStatus.PAID);
                    assertThat(slip.partiallyPaidAmount()).isEqualTo(new BigDecimal("100.50"));
                });
    }

    @Test
    void aWriteOffEndsAnUnsettledSlip() {
        var writtenOff = update(withStatus(DdaBankSlipStatus.WRITTEN_OFF, null));
        fixture.givenCommands(registration(REGISTERED), update(withStatus(DdaBankSlipStatus.PARTIALLY_PAID, "10")))
                .when(writtenOff)
                .expectEvents(current(writtenOff, "10"))
                .expectState(slip -> assertThat(slip.currentStatus()).isEqualTo(DdaBankSlipStatus.WRITTEN_OFF));
    }

    @Test
    void aPaymentOutranksAWriteOffInEitherOrder() {
        var writtenOff = update(withStatus(DdaBankSlipStatus.WRITTEN_OFF, null));
        var paid = update(PAID);
        fixture.givenCommands(writtenOff)
                .when(paid)
                .expectEvents(current(paid, "0"));
        new AggregateTestFixture<>(DdaBankSlip.class)
                .givenCommands(paid)
                .when(writtenOff)
                .expectEvents(expected(writtenOff, List.of(), DdaBankSlipStatus.PAID, false, "0"))
                .expectState(slip -> assertThat(slip.currentStatus()).isEqualTo(DdaBankSlipStatus.PAID));
    }

    @Test
    void betweenSnapshotsOfEqualRankTheGreaterFingerprintWinsInEitherOrder() {
        var a = registration(REGISTERED);
        var b = update(withCodes(REGISTERED, REGISTERED.barcode(), "00193000000001000000500000001234567890123456999"));
        String winner = fp(a.snapshot()).compareTo(fp(b.snapshot())) > 0 ? fp(a.snapshot()) : fp(b.snapshot());
        fixture.givenCommands(a)
                .when(b)
                .expectState(slip -> assertThat(slip.currentFingerprint()).isEqualTo(winner));
        new AggregateTestFixture<>(DdaBankSlip.class)
                .givenCommands(b)
                .when(a)
                .expectState(slip -> {
                    assertThat(slip.currentFingerprint()).isEqualTo(winner);
                    assertThat(slip.currentStatus()).isEqualTo(DdaBankSlipStatus.REGISTERED);
                });
    }

    @Test
    void aMalformedBarcodeIsFlaggedNotRefused() {
        var shortBarcode = registration(withCodes(REGISTERED, "0019300000000100000050000000123456789012345",
                REGISTERED.digitableLine()));
        fixture.givenNoPriorActivity()
                .when(shortBarcode)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(expected(shortBarcode, List.of(DdaDataQualityFlag.BARCODE_MALFORMED),
                        DdaBankSlipStatus.REGISTERED, true, "0"))
                .expectState(slip -> assertThat(slip.currentStatus()).isEqualTo(DdaBankSlipStatus.REGISTERED));
    }

    @Test
    void aMalformedDigitableLineIsFlaggedNotRefused() {
        var formatted = registration(withCodes(REGISTERED, REGISTERED.barcode(),
                "00190.00009 01000.000500 00001.234567 8 90123456123456"));
        fixture.givenNoPriorActivity()
                .when(formatted)
                .expectEvents(expected(formatted, List.of(DdaDataQualityFlag.DIGITABLE_LINE_MALFORMED),
                        DdaBankSlipStatus.REGISTERED, true, "0"));
    }

    @Test
    void dataQualityFlagsCoverEveryRule() {
        assertThat(DataQuality.flags(REGISTERED)).isEmpty();
        assertThat(DataQuality.flags(PAID)).isEmpty();
        assertThat(DataQuality.flags(withCodes(REGISTERED, null, null)))
                .containsExactly(DdaDataQualityFlag.BARCODE_MISSING, DdaDataQualityFlag.DIGITABLE_LINE_MISSING);
        assertThat(DataQuality.flags(withCodes(REGISTERED, REGISTERED.barcode() + "0", "x".repeat(47))))
                .containsExactly(DdaDataQualityFlag.BARCODE_MALFORMED, DdaDataQualityFlag.DIGITABLE_LINE_MALFORMED);
        assertThat(DataQuality.flags(withCodes(REGISTERED, "١".repeat(44), REGISTERED.digitableLine())))
                .as("only ASCII digits count").containsExactly(DdaDataQualityFlag.BARCODE_MALFORMED);
        assertThat(DataQuality.flags(withStatus(DdaBankSlipStatus.PARTIALLY_PAID, null)))
                .containsExactly(DdaDataQualityFlag.PAYMENT_AMOUNT_MISSING);
        assertThat(DataQuality.flags(withStatus(DdaBankSlipStatus.PAID, null)))
                .containsExactly(DdaDataQualityFlag.PAYMENT_AMOUNT_MISSING);
        assertThat(DataQuality.flags(withStatus(DdaBankSlipStatus.WRITTEN_OFF, null))).isEmpty();
        assertThat(DdaDataQualityFlag.BARCODE_MALFORMED.label()).isEqualTo("barcode_malformed");
    }

    @Test
    void aPartialPaymentWithoutAmountIsFlaggedAndAddsNothing() {
        var partial = update(withStatus(DdaBankSlipStatus.PARTIALLY_PAID, null));
        fixture.givenCommands(registration(REGISTERED))
                .when(partial)
                .expectEvents(expected(partial, List.of(DdaDataQualityFlag.PAYMENT_AMOUNT_MISSING),
                        DdaBankSlipStatus.PARTIALLY_PAID, true, "0"))
                .expectState(slip -> assertThat(slip.partialPayments()).isEqualTo(1));
    }

    @Test
    void commandsTargetAPrefixedStreamAndRequireTheirFacts() {
        assertThat(registration(REGISTERED).aggregateId()).isEqualTo("DdaBankSlip:" + KEY);
        assertThat(registration(REGISTERED).isRegistration()).isTrue();
        assertThat(update(REGISTERED).isRegistration()).isFalse();
        assertThatNullPointerException()
                .isThrownBy(() -> new RecordDdaBankSlipSnapshot(null, REGISTRATION, RECORDED, REGISTERED))
                .withMessage("slipKey");
        assertThatNullPointerException()
                .isThrownBy(() -> new RecordDdaBankSlipSnapshot(KEY, REGISTRATION, RECORDED, null))
                .withMessage("snapshot");
        assertThatNullPointerException()
                .isThrownBy(() -> withStatus(null, null))
                .withMessage("status");
    }
}
