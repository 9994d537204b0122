package com.qiledger.query.debt;

import static org.assertj.core.api.Assertions.assertThat;

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
import com.qiledger.command.messages.debt.InvestmentFund;
import com.qiledger.command.messages.debt.PixRefusal;
import com.qiledger.command.messages.debt.PrivatePensionReservationFailed;
import com.qiledger.command.messages.debt.ReservationFailure;
import com.qiledger.command.messages.debt.TedRefusal;
import com.qiledger.query.support.Projector;
import com.qiledger.query.support.ReadModelDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Debt events folded into {@code debt_view}, {@code debt_failed_reservation_view} and
 * {@code debt_refusal_view}, and the view the query answers.
 */
class DebtProjectionTest {

    static final Instant T0 = Instant.parse("2026-07-01T10:00:00Z");
    static final String[] TABLES = {"debt_view", "debt_failed_reservation_view", "debt_refusal_view"};

    private final ReadModelDatabase db = ReadModelDatabase.emptied();
    private final DebtProjection projection = new DebtProjection(db.jdbc());
    private final Projector projector = new Projector(projection, db);

    static Instant at(int minute) {
        return T0.plusSeconds(60L * minute);
    }

    static Collateral collateral(String total, String... locks) {
        return new Collateral("private_pension", null, new BigDecimal(total), Arrays.stream(locks)
                .map(lock -> new InvestmentFund("15414", "c-1", "Fund", "12345678000199", "fi", null,
                        new BigDecimal(lock)))
                .toList());
    }

    static CollateralReported reported(String debt, int minute, Collateral collateral, boolean current) {
        BigDecimal funds = collateral.investmentFunds().stream().map(InvestmentFund::lockGrossAmount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        List<String> flags = funds.compareTo(collateral.totalGrossAmountLock()) == 0 ? List.of()
                : List.of(CollateralCheck.LOCKS_MISMATCH);
        return new CollateralReported(debt, at(minute), at(minute).plusSeconds(1), collateral,
                new CollateralCheck(funds, flags), current, DebtStatus.COLLATERAL_REPORTED);
    }

    static DebtCanceled canceled(String debt, int minute, DisbursementRefusal refusal, boolean latest) {
        return new DebtCanceled(debt, at(minute), at(minute).plusSeconds(1), refusal, latest, DebtStatus.CANCELED);
    }

    static DisbursementRefusal ted(String amount) {
        return DisbursementRefusal.ted(new TedRefusal("tx-1", null, null, null, new BigDecimal(amount),
                BigDecimal.ZERO, "invalid_account", "Invalid account", null));
    }

    DebtView view(String debt) {
        return projection.handle(new FindDebt(debt)).orElseThrow();
    }

    @Test
    void aCollateralMakesTheRowAndTheQueryAnswersItWithTheCheck() {
        projector.fold(8, reported("d1", 0, collateral("1000.00", "600.00", "300.00"), true));

        DebtView view = view("d1");
        assertThat(view.status()).isEqualTo("collateral_reported");
        assertThat(view.finalState()).isFalse();
        CollateralView collateral = view.collateral();
        assertThat(collateral.collateralType()).isEqualTo("private_pension");
        assertThat(collateral.totalGrossAmountLock()).isEqualByComparingTo("1000.00");
        assertThat(collateral.fundsLockTotal()).isEqualByComparingTo("900.00");
        assertThat(collateral.flags()).containsExactly("collateral_locks_mismatch");
        assertThat(collateral.investmentFunds()).hasSize(2);
        assertThat(collateral.occurredAt()).isEqualTo(T0);
        assertThat(collateral.position()).isEqualTo(8);
        assertThat(view.factsRecorded()).isEqualTo(1);
        assertThat(view.lastPosition()).isEqualTo(8);
        assertThat(projection.handle(new FindDebt("unknown"))).isEmpty();
    }

    @Test
    void onlyTheCurrentCollateralIsShown() {
        projector.fold(1, new CollateralConstituted("d1", at(10), at(10), collateral("500.00", "500.00"),
                new CollateralCheck(new BigDecimal("500.00"), List.of()), true, DebtStatus.COLLATERAL_CONSTITUTED));
        projector.fold(2, new CollateralReported("d1", at(5), at(11), collateral("1.00", "1.00"),
                new CollateralCheck(BigDecimal.ONE, List.of()), false, DebtStatus.COLLATERAL_CONSTITUTED));

        DebtView view = view("d1");
        assertThat(view.status()).isEqualTo("collateral_constituted");
        assertThat(view.collateral().totalGrossAmountLock()).isEqualByComparingTo("500.00");
        assertThat(view.collateral().position()).isEqualTo(1);
        assertThat(view.factsRecorded()).isEqualTo(2);
    }

    @Test
    void failuresAndRefusalsAreListedByProviderTimeWithTheLatestRefusalNamed() {
        projector.fold(1, new PrivatePensionReservationFailed("d1", at(1), at(1), new ReservationFailure("failed",
                "insufficient_balance", "no funds"), DebtStatus.RESERVATION_FAILED));
        projector.fold(2, canceled("d1", 30, ted("250.00"), true));
        projector.fold(3, canceled("d1", 20, DisbursementRefusal.pix(new PixRefusal("key_not_found", "No key")),
                false));

        DebtView view = view("d1");
        assertThat(view.status()).isEqualTo("canceled");
        assertThat(view.failedReservations()).singleElement().satisfies(f -> {
            assertThat(f.enumerator()).isEqualTo("insufficient_balance");
            assertThat(f.position()).isEqualTo(1);
        });
        assertThat(view.refusals()).extracting(RefusalView::reasonEnumerator)
                .containsExactly("key_not_found", "invalid_account");
        assertThat(view.latestRefusal().position()).isEqualTo(2);
        assertThat(view.latestRefusal().tedRefusal().amount()).isEqualByComparingTo("250.00");
        assertThat(view.factsRecorded()).isEqualTo(3);
    }

    @Test
    void afterThePermanentCancellationAFactIsCountedAndChangesNothing() {
        projector.fold(1, reported("d1", 0, collateral("10.00", "10.00"), true));
        projector.fold(2, new DebtCanceledPermanently("d1", at(5), at(6)));
        projector.fold(3, new DebtFactIgnoredAfterFinalState("d1", DebtFactType.COLLATERAL, at(7), at(8),
                collateral("99.00"), null, null));

        DebtView view = view("d1");
        assertThat(view.status()).isEqualTo("canceled_permanently");
        assertThat(view.finalState()).isTrue();
        assertThat(view.canceledPermanentlyAt()).isEqualTo(at(5));
        assertThat(view.collateral().totalGrossAmountLock()).isEqualByComparingTo("10.00");
        assertThat(view.ignoredAfterFinal()).isEqualTo(1);
        assertThat(view.factsRecorded()).isEqualTo(3);
        assertThat(view.lastRecordedAt()).isEqualTo(at(8));
    }

    @Test
    void anEventAtOrBelowTheRowsPositionWritesNothingAndTheResetEmptiesEveryTable() {
        projector.fold(5, reported("d1", 0, collateral("10.00", "10.00"), true));
        List<List<String>> before = rows();

        projector.fold(4, canceled("d1", 30, ted("250.00"), true));
        projector.fold(5, reported("d1", 1, collateral("20.00", "20.00"), true));

        assertThat(rows()).isEqualTo(before);
        projector.reset();
        assertThat(rows()).allSatisfy(rows -> assertThat(rows).isEmpty());
    }

    private List<List<String>> rows() {
        return db.rows(TABLES);
    }
}
