package com.qiledger.query.conciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.conciliation.BatchFigures;
import com.qiledger.command.messages.conciliation.ConciliationBatchCreated;
import com.qiledger.command.messages.conciliation.ConciliationBatchFiguresReported;
import com.qiledger.query.support.Projector;
import com.qiledger.query.support.ReadModelDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Conciliation-batch events folded into {@code conciliation_batch_view}, and the view the query answers. */
class ConciliationBatchProjectionTest {

    static final Instant T0 = Instant.parse("2026-04-10T09:00:00Z");
    static final String UPDATE = "baas.automatic_pix.payment_order_conciliation_batch.update";

    private final ReadModelDatabase db = ReadModelDatabase.emptied();
    private final ConciliationBatchProjection projection = new ConciliationBatchProjection(db.jdbc());
    private final Projector projector = new Projector(projection, db);

    static BatchFigures figures(String status, String conciliated, long conciliatedOrders) {
        return new BatchFigures(status, "fixed_amount", "acc-1", new BigDecimal("300.00"),
                new BigDecimal(conciliated), 3, conciliatedOrders, LocalDate.parse("2026-04-09"), T0);
    }

    static ConciliationBatchCreated created(String key) {
        return new ConciliationBatchCreated(key, T0, T0.plusSeconds(1), figures("open", "0.00", 0), true);
    }

    static ConciliationBatchFiguresReported reported(String key, int minute, BatchFigures figures, boolean current) {
        return new ConciliationBatchFiguresReported(key, UPDATE, T0.plusSeconds(60L * minute),
                T0.plusSeconds(60L * minute + 1), figures, current);
    }

    ConciliationBatchView view(String key) {
        return projection.handle(new FindConciliationBatch(key)).orElseThrow();
    }

    @Test
    void aCreationMakesTheRowAndTheQueryAnswersItWithTheOpenAmounts() {
        projector.fold(4, created("b1"));

        ConciliationBatchView view = view("b1");
        assertThat(view.status()).isEqualTo("open");
        assertThat(view.type()).isEqualTo("fixed_amount");
        assertThat(view.accountKey()).isEqualTo("acc-1");
        assertThat(view.totalAmount()).isEqualByComparingTo("300.00");
        assertThat(view.openAmount()).isEqualByComparingTo("300.00");
        assertThat(view.openPaymentOrders()).isEqualTo(3);
        assertThat(view.referenceDate()).isEqualTo(LocalDate.parse("2026-04-09"));
        assertThat(view.createdAt()).isEqualTo(T0);
        assertThat(view.figuresAsOf()).isEqualTo(T0);
        assertThat(view.factsRecorded()).isEqualTo(1);
        assertThat(view.position()).isEqualTo(4);
        assertThat(projection.handle(new FindConciliationBatch("unknown"))).isEmpty();
    }

    @Test
    void currentFiguresReplaceTheFiguresAndStaleOnesOnlyCount() {
        projector.fold(1, created("b1"));
        projector.fold(2, reported("b1", 30, figures("closed", "300.00", 3), true));
        projector.fold(3, reported("b1", 10, figures("open", "100.00", 1), false));

        ConciliationBatchView view = view("b1");
        assertThat(view.status()).isEqualTo("closed");
        assertThat(view.conciliatedAmount()).isEqualByComparingTo("300.00");
        assertThat(view.openAmount()).isEqualByComparingTo("0");
        assertThat(view.openPaymentOrders()).isZero();
        assertThat(view.figuresAsOf()).isEqualTo(T0.plusSeconds(1800));
        assertThat(view.firstRecordedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(view.lastRecordedAt()).isEqualTo(T0.plusSeconds(601));
        assertThat(view.factsRecorded()).isEqualTo(3);
        assertThat(view.position()).isEqualTo(3);
    }

    @Test
    void anEventAtOrBelowTheRowsPositionChangesNothing() {
        projector.fold(6, reported("b1", 30, figures("closed", "300.00", 3), true));
        var before = db.rows("conciliation_batch_view");

        projector.fold(2, reported("b1", 40, figures("open", "5.00", 1), true));
        projector.fold(6, reported("b1", 40, figures("open", "5.00", 1), true));

        assertThat(db.rows("conciliation_batch_view")).isEqualTo(before);
        assertThat(view("b1").conciliatedAmount()).isEqualByComparingTo("300.00");
    }

    @Test
    void aBatchedReplayAfterTheResetWritesTheSameRows() {
        Runnable events = () -> {
            projector.fold(1, created("b1"));
            projector.fold(2, created("b2"));
            projector.fold(3, reported("b1", 30, figures("closed", "300.00", 3), true));
            projector.fold(4, reported("b1", 10, figures("open", "100.00", 1), false));
        };
        events.run();
        var folded = db.rows("conciliation_batch_view");

        projector.reset();
        assertThat(db.rows("conciliation_batch_view")).isEmpty();
        projector.foldBatched(events);

        assertThat(db.rows("conciliation_batch_view")).isEqualTo(folded).hasSize(2);
    }
}
