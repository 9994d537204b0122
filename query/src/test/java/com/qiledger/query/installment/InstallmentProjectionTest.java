package com.qiledger.query.installment;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.installment.InstallmentBilling;
import com.qiledger.command.messages.installment.InstallmentBillingIssued;
import com.qiledger.command.messages.installment.InstallmentOccurrence;
import com.qiledger.command.messages.installment.InstallmentPayment;
import com.qiledger.command.messages.installment.InstallmentStatus;
import com.qiledger.command.messages.installment.InstallmentStatusChanged;
import com.qiledger.command.messages.installment.InstallmentStatusReport;
import com.qiledger.query.support.Projector;
import com.qiledger.query.support.ReadModelDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Installment events folded into {@code installment_view} and its child tables (debt link, payments,
 * occurrences, billings), and the views the queries answer.
 */
class InstallmentProjectionTest {

    static final Instant T0 = Instant.parse("2026-06-01T15:00:00Z");
    static final String[] TABLES = {"installment_view", "installment_debt_view", "installment_payment_view",
        "installment_occurrence_view", "installment_billing_view"};

    private final ReadModelDatabase db = ReadModelDatabase.emptied();
    private final InstallmentProjection projection = new InstallmentProjection(db.jdbc());
    private final Projector projector = new Projector(projection, db);

    static InstallmentBillingIssued billing(String key, String debt, String dueDate, String total, boolean current) {
        return new InstallmentBillingIssued(key, debt, T0, new InstallmentBilling("8369" + total, null, null,
                new BigDecimal("90.00"), new BigDecimal("10.00"), "slip-" + key, LocalDate.parse(dueDate),
                new BigDecimal(total)), current);
    }

    static InstallmentPayment payment(String key, String amount) {
        return new InstallmentPayment(key, T0.plusSeconds(3600), new BigDecimal(amount), "pix");
    }

    static InstallmentStatusChanged statusChange(String key, String debt, InstallmentStatus status,
                                                 List<InstallmentPayment> payments, String paidAfter,
                                                 boolean current) {
        InstallmentOccurrence occurrence = new InstallmentOccurrence("payment", T0.plusSeconds(3600),
                payments.isEmpty() ? null : payments.get(0).paidAmount(), T0.plusSeconds(3601), "waiting_payment",
                null);
        InstallmentStatusReport report = new InstallmentStatusReport(status, InstallmentStatus.PAID, true,
                LocalDate.parse("2026-06-10"), T0.plusSeconds(3600), List.of(occurrence), payments);
        return new InstallmentStatusChanged(key, debt, report.latestProviderTime(), T0.plusSeconds(7200), report,
                current, status, true, List.of(occurrence), payments, new BigDecimal(paidAfter));
    }

    InstallmentView view(String key) {
        return projection.handle(new FindInstallment(key)).orElseThrow();
    }

    @Test
    void aBillingMakesTheRowWithItsCurrentBillingAndTheQueriesAnswerIt() {
        projector.fold(2, billing("i1", "debt-1", "2026-06-10", "100.00", true));

        InstallmentView view = view("i1");
        assertThat(view.debtKey()).isEqualTo("debt-1");
        assertThat(view.status()).isNull();
        assertThat(view.isFinished()).isFalse();
        assertThat(view.dueDate()).isEqualTo(LocalDate.parse("2026-06-10"));
        assertThat(view.paidAmount()).isEqualByComparingTo("0");
        assertThat(view.billing().bankSlipKey()).isEqualTo("slip-i1");
        assertThat(view.billing().totalAmount()).isEqualByComparingTo("100.00");
        assertThat(view.billings()).hasSize(1);
        assertThat(view.factsRecorded()).isEqualTo(1);
        assertThat(view.lastPosition()).isEqualTo(2);
        assertThat(projection.handle(new FindInstallmentsOfDebt("debt-1"))).containsExactly(view);
        assertThat(projection.handle(new FindInstallment("unknown"))).isEmpty();
    }

    @Test
    void aStatusChangeBringsStatusPaymentsAndOccurrences() {
        projector.fold(1, billing("i1", "debt-1", "2026-06-10", "100.00", true));
        projector.fold(2, statusChange("i1", "debt-1", InstallmentStatus.PAID, List.of(payment("p1", "100.00")),
                "100.00", true));

        InstallmentView view = view("i1");
        assertThat(view.status()).isEqualTo("paid");
        assertThat(view.dataStatus()).isEqualTo("paid");
        assertThat(view.dataStatusDiffers()).isFalse();
        assertThat(view.isFinished()).isTrue();
        assertThat(view.statusAsOf()).isEqualTo(T0.plusSeconds(3600));
        assertThat(view.paidAt()).isEqualTo(T0.plusSeconds(3600));
        assertThat(view.paidAmount()).isEqualByComparingTo("100.00");
        assertThat(view.payments()).containsExactly(payment("p1", "100.00"));
        assertThat(view.events()).extracting(InstallmentOccurrence::eventType).containsExactly("payment");
        assertThat(view.billing()).isNotNull();
        assertThat(view.firstRecordedAt()).isEqualTo(T0);
        assertThat(view.lastRecordedAt()).isEqualTo(T0.plusSeconds(7200));
        assertThat(view.factsRecorded()).isEqualTo(2);
    }

    @Test
    void aReissuedBillingBecomesCurrentAndTheOldOneIsKept() {
        projector.fold(1, billing("i1", "debt-1", "2026-06-10", "100.00", true));
        projector.fold(2, billing("i1", "debt-1", "2026-07-10", "101.00", true));
        projector.fold(3, billing("i1", "debt-1", "2026-05-10", "99.00", false));

        InstallmentView view = view("i1");
        assertThat(view.billing().totalAmount()).isEqualByComparingTo("101.00");
        assertThat(view.dueDate()).isEqualTo(LocalDate.parse("2026-07-10"));
        assertThat(view.billings()).extracting(InstallmentBilling::dueDate).containsExactly(
                LocalDate.parse("2026-05-10"), LocalDate.parse("2026-06-10"), LocalDate.parse("2026-07-10"));
        assertThat(db.value("SELECT count(*) FROM installment_billing_view WHERE is_current", Long.class))
                .isEqualTo(1);
    }

    @Test
    void theInstallmentsOfADebtComeByDueDateAndASecondDebtIsAConflict() {
        projector.fold(1, billing("i2", "debt-1", "2026-07-10", "100.00", true));
        projector.fold(2, billing("i1", "debt-1", "2026-06-10", "100.00", true));
        projector.fold(3, billing("i1", "debt-0", "2026-06-10", "100.00", false));

        assertThat(projection.handle(new FindInstallmentsOfDebt("debt-1")))
                .extracting(InstallmentView::installmentKey).containsExactly("i1", "i2");
        InstallmentView conflicting = view("i1");
        assertThat(conflicting.debtKeyConflict()).isTrue();
        assertThat(conflicting.debtKey()).isEqualTo("debt-0");
        assertThat(projection.handle(new FindInstallmentsOfDebt("debt-0")))
                .extracting(InstallmentView::installmentKey).containsExactly("i1");
    }

    @Test
    void anEventAtOrBelowTheRowsPositionWritesNoRowAtAll() {
        projector.fold(5, billing("i1", "debt-1", "2026-06-10", "100.00", true));
        List<List<String>> before = rows();

        projector.fold(4, statusChange("i1", "debt-2", InstallmentStatus.PAID, List.of(payment("p1", "100.00")),
                "100.00", true));
        projector.fold(5, billing("i1", "debt-1", "2026-08-10", "1.00", true));

        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aBatchedReplayAfterTheResetWritesTheSameRows() {
        Runnable events = () -> {
            projector.fold(1, billing("i1", "debt-1", "2026-06-10", "100.00", true));
            projector.fold(2, billing("i2", "debt-1", "2026-07-10", "100.00", true));
            projector.fold(3, statusChange("i1", "debt-1", InstallmentStatus.PAID_PARTIAL,
                    List.of(payment("p1", "40.00")), "40.00", true));
            projector.fold(4, billing("i1", "debt-1", "2026-06-20", "100.00", true));
            projector.fold(5, statusChange("i1", "debt-1", InstallmentStatus.PAID,
                    List.of(payment("p1", "40.00"), payment("p2", "60.00")), "100.00", true));
        };
        events.run();
        List<List<String>> folded = rows();

        projector.reset();
        assertThat(rows()).allSatisfy(rows -> assertThat(rows).isEmpty());
        projector.foldBatched(events);

        assertThat(rows()).isEqualTo(folded);
        assertThat(folded).allSatisfy(rows -> assertThat(rows).isNotEmpty());
    }

    private List<List<String>> rows() {
        return db.rows(TABLES);
    }
}
