package com.qiledger.command.conciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.qiledger.command.messages.common.RecordingResult;
import com.qiledger.command.messages.conciliation.BatchFigures;
import com.qiledger.command.messages.conciliation.ConciliationBatchCreated;
import com.qiledger.command.messages.conciliation.ConciliationBatchFiguresReported;
import com.qiledger.command.messages.conciliation.RecordConciliationBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConciliationBatchTest {

    static final String KEY = "98fc62fd-b0a0-4604-9bea-475e91a9dc82";
    static final String CREATION = RecordConciliationBatch.CREATION;
    /** A type the provider has announced but not documented yet; any non-creation type reports figures. */
    static final String UPDATE = "baas.automatic_pix.payment_order_conciliation_batch.update";
    static final String CLOSING = "baas.automatic_pix.payment_order_conciliation_batch.closing";
    static final Instant RECORDED = Instant.parse("2026-01-01T00:00:00Z");

    /** The seed's first batch. */
    static final BatchFigures OPENED = figures("open", "0", "0", 0, 0);

    private FixtureConfiguration<ConciliationBatch> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ConciliationBatch.class);
    }

    static BatchFigures figures(String status, String total, String conciliated, long orders, long conciliatedOrders) {
        return new BatchFigures(status, "fixed_amount", "6a0b2a43-8f0e-4a55-9d6e-1d2f3c4b5a69",
                total == null ? null : new BigDecimal(total), conciliated == null ? null : new BigDecimal(conciliated),
                orders, conciliatedOrders, LocalDate.parse("2025-06-13"), Instant.parse("2025-06-10T20:30:23.459Z"));
    }

    static RecordConciliationBatch command(String webhookType, String occurredAt, BatchFigures figures) {
        return new RecordConciliationBatch(KEY, webhookType, Instant.parse(occurredAt), RECORDED, figures);
    }

    static Object expected(RecordConciliationBatch c) {
        return expected(c, true);
    }

    /** A fact recorded without becoming the current figures. */
    static Object expectedLate(RecordConciliationBatch c) {
        return expected(c, false);
    }

    static Object expected(RecordConciliationBatch c, boolean current) {
        return c.isCreation()
                ? new ConciliationBatchCreated(c.batchKey(), c.occurredAt(), c.recordedAt(), c.figures(), current)
                : new ConciliationBatchFiguresReported(c.batchKey(), c.webhookType(), c.occurredAt(), c.recordedAt(),
                        c.figures(), current);
    }

    @Test
    void creationRecordsTheBatch() {
        var created = command(CREATION, "2021-10-22T20:30:23.459Z", OPENED);
        fixture.givenNoPriorActivity()
                .when(created)
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(expected(created))
                .expectState(batch -> {
                    assertThat(batch.currentFigures()).isEqualTo(OPENED);
                    assertThat(batch.figuresAsOf()).isEqualTo("2021-10-22T20:30:23.459Z");
                    assertThat(batch.creationKnown()).isTrue();
                    assertThat(batch.knownFacts()).isEqualTo(1);
                });
    }

    @Test
    void theSameCreationSentAgainAppendsNothing() {
        var created = command(CREATION, "2021-10-22T20:30:23.459Z", OPENED);
        var resent = new RecordConciliationBatch(KEY, CREATION, created.occurredAt(),
                RECORDED.plusSeconds(3600), OPENED);
        fixture.givenCommands(created)
                .when(resent)
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED)
                .expectState(batch -> assertThat(batch.knownFacts()).isEqualTo(1));
    }

    @Test
    void aLaterReportMovesTheFigures() {
        var closing = command(CLOSING, "2025-06-14T03:00:00Z", figures("closed", "1500.00", "1499.90", 12, 11));
        fixture.givenCommands(command(CREATION, "2025-06-10T20:30:23.459Z", OPENED))
                .when(closing)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(expected(closing))
                .expectState(batch -> {
                    assertThat(batch.currentFigures()).isEqualTo(closing.figures());
                    assertThat(batch.currentFigures().totalAmount()).isEqualTo(new BigDecimal("1500.00"));
                    assertThat(batch.knownFacts()).isEqualTo(2);
                });
    }

    @Test
    void theSameReportSentAgainAppendsNothing() {
        var update = command(UPDATE, "2025-06-12T10:00:00Z", figures("open", "10.50", "0", 1, 0));
        fixture.givenCommands(command(CREATION, "2025-06-10T20:30:23.459Z", OPENED), update)
                .when(update)
                .expectNoEvents()
                .expectResultMessagePayload(RecordingResult.ALREADY_RECORDED);
    }

    @Test
    void aReportCanBeTheFirstFactSeen() {
        var update = command(UPDATE, "2025-06-12T10:00:00Z", figures("open", "10.50", "0", 1, 0));
        fixture.givenNoPriorActivity()
                .when(update)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(expected(update))
                .expectState(batch -> {
                    assertThat(batch.currentFigures()).isEqualTo(update.figures());
                    assertThat(batch.creationKnown()).isFalse();
                });
    }

    @Test
    void aLateCreationIsRecordedButKeepsTheLaterFigures() {
        var update = command(UPDATE, "2025-06-12T10:00:00Z", figures("open", "10.50", "0", 1, 0));
        var lateCreation = command(CREATION, "2025-06-10T20:30:23.459Z", OPENED);
        fixture.givenCommands(update)
                .when(lateCreation)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(expectedLate(lateCreation))
                .expectState(batch -> {
                    assertThat(batch.currentFigures()).isEqualTo(update.figures());
                    assertThat(batch.figuresAsOf()).isEqualTo("2025-06-12T10:00:00Z");
                    assertThat(batch.creationKnown()).isTrue();
                    assertThat(batch.knownFacts()).isEqualTo(2);
                });
    }

    @Test
    void anEarlierReportArrivingLateKeepsTheLaterFigures() {
        var closing = command(CLOSING, "2025-06-14T03:00:00Z", figures("closed", "20", "20", 2, 2));
        var lateUpdate = command(UPDATE, "2025-06-12T10:00:00Z", figures("open", "10.50", "0", 1, 0));
        fixture.givenCommands(command(CREATION, "2025-06-10T20:30:23.459Z", OPENED), closing)
                .when(lateUpdate)
                .expectEvents(expectedLate(lateUpdate))
                .expectState(batch -> assertThat(batch.currentFigures()).isEqualTo(closing.figures()));
    }

    @Test
    void theSameFiguresAtAnotherTimeAreANewFact() {
        var again = command(UPDATE, "2025-06-12T11:00:00Z", figures("open", "10.50", "0", 1, 0));
        fixture.givenCommands(command(UPDATE, "2025-06-12T10:00:00Z", again.figures()))
                .when(again)
                .expectResultMessagePayload(RecordingResult.RECORDED)
                .expectEvents(expected(again))
                .expectState(batch -> assertThat(batch.figuresAsOf()).isEqualTo("2025-06-12T11:00:00Z"));
    }

    @Test
    void aSecondCreationWithOtherFiguresIsRecordedToo() {
        var other = command(CREATION, "2025-06-10T20:30:23.459Z", figures("open", "5", "0", 1, 0));
        fixture.givenCommands(command(CREATION, "2025-06-10T20:30:23.459Z", OPENED))
                .when(other)
                .expectEvents(expected(other))
                .expectState(batch -> {
                    assertThat(batch.knownFacts()).isEqualTo(2);
                    // same instant, same type: the greater figures (5 > 0), in either arrival order
                    assertThat(batch.currentFigures()).isEqualTo(other.figures());
                });
    }

    @Test
    void atTheSameInstantAReportOutranksTheCreationInEitherOrder() {
        var created = command(CREATION, "2025-06-10T20:30:23.459Z", figures("open", "99", "0", 9, 0));
        var update = command(UPDATE, "2025-06-10T20:30:23.459Z", figures("open", "1", "0", 1, 0));
        fixture.givenCommands(created)
                .when(update)
                .expectState(batch -> assertThat(batch.currentFigures()).isEqualTo(update.figures()));
        new AggregateTestFixture<>(ConciliationBatch.class)
                .givenCommands(update)
                .when(created)
                .expectEvents(expectedLate(created))
                .expectState(batch -> assertThat(batch.currentFigures()).isEqualTo(update.figures()));
    }

    @Test
    void differentReportsAtTheSameInstantSettleTheSameWayInEitherOrder() {
        var a = command(UPDATE, "2025-06-12T10:00:00Z", figures("open", "10.50", "0", 1, 0));
        var b = command(UPDATE, "2025-06-12T10:00:00Z", figures("open", "10.5", "0", 1, 0));
        var c = command(CLOSING, "2025-06-12T10:00:00Z", figures("closed", "10.5", "10.5", 1, 1));
        // "...update" > "...closing" by type text; between a and b only the scale differs: 10.50 > 10.5
        for (var order : new RecordConciliationBatch[][] {{a, b, c}, {c, b, a}, {b, c, a}}) {
            new AggregateTestFixture<>(ConciliationBatch.class)
                    .givenCommands(order[0], order[1])
                    .when(order[2])
                    .expectState(batch -> {
                        assertThat(batch.currentFigures()).isEqualTo(a.figures());
                        assertThat(batch.knownFacts()).isEqualTo(3);
                    });
        }
        for (var order : new RecordConciliationBatch[][] {{a, b}, {b, a}}) {
            new AggregateTestFixture<>(ConciliationBatch.class)
                    .givenCommands(order[0])
                    .when(order[1])
                    .expectState(batch -> assertThat(batch.currentFigures()).isEqualTo(a.figures()));
        }
    }

    @Test
    void absentAmountsAreRecordedAndOrderedBeforePresentOnes() {
        var withoutAmounts = command(UPDATE, "2025-06-12T10:00:00Z", figures("open", null, null, 1, 0));
        var withAmounts = command(UPDATE, "2025-06-12T10:00:00Z", figures("open", "1", "0", 1, 0));
        fixture.givenCommands(withAmounts)
                .when(withoutAmounts)
                .expectEvents(expectedLate(withoutAmounts))
                .expectState(batch -> assertThat(batch.currentFigures()).isEqualTo(withAmounts.figures()));
    }

    @Test
    void commandsTargetAPrefixedStreamAndRequireTheirFacts() {
        assertThat(command(CREATION, "2021-10-22T20:30:23.459Z", OPENED).aggregateId())
                .isEqualTo("ConciliationBatch:" + KEY);
        assertThat(command(CREATION, "2021-10-22T20:30:23.459Z", OPENED).isCreation()).isTrue();
        assertThat(command(UPDATE, "2021-10-22T20:30:23.459Z", OPENED).isCreation()).isFalse();
        assertThatNullPointerException()
                .isThrownBy(() -> new RecordConciliationBatch(null, CREATION, RECORDED, RECORDED, OPENED))
                .withMessage("batchKey");
        assertThatNullPointerException()
                .isThrownBy(() -> new RecordConciliationBatch(KEY, CREATION, null, RECORDED, OPENED))
                .withMessage("occurredAt");
        assertThatNullPointerException()
                .isThrownBy(() -> new RecordConciliationBatch(KEY, CREATION, RECORDED, RECORDED, null))
                .withMessage("figures");
    }
}
