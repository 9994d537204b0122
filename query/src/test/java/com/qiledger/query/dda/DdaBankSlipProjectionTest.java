package com.qiledger.query.dda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.qiledger.command.messages.dda.DdaBankSlipRegistered;
import com.qiledger.command.messages.dda.DdaBankSlipSnapshot;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.dda.DdaBankSlipUpdated;
import com.qiledger.command.messages.dda.DdaBeneficiary;
import com.qiledger.command.messages.dda.DdaDataQualityFlag;
import com.qiledger.query.support.Projector;
import com.qiledger.query.support.ReadModelDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DDA bank-slip events folded into {@code dda_bank_slip_view} and {@code dda_bank_slip_snapshot}, and
 * the view the query answers.
 */
class DdaBankSlipProjectionTest {

    static final Instant T0 = Instant.parse("2026-05-04T13:00:00Z");
    static final String UPDATE = "baas.dda.bankslip.update";
    static final String BARCODE = "23793381286000000001234567890123456789012345";

    private final ReadModelDatabase db = ReadModelDatabase.emptied();
    private final DdaBankSlipProjection projection = new DdaBankSlipProjection(db.jdbc());
    private final Projector projector = new Projector(projection, db);

    static DdaBankSlipSnapshot snapshot(DdaBankSlipStatus status, String barcode, String paid) {
        return new DdaBankSlipSnapshot(barcode, null, status, new BigDecimal("500.00"), new BigDecimal("500.00"),
                paid == null ? null : new BigDecimal(paid), null, null, null, true, LocalDate.parse("2026-05-30"),
                null, new DdaBeneficiary("ACME", "237", "60746948", "legal", "12345678000199"), null, null, null,
                null, null, null, List.of(Map.of("amounts.fine", "1.00")), null);
    }

    static String fingerprint(char c) {
        return String.valueOf(c).repeat(64);
    }

    static DdaBankSlipRegistered registered(String key) {
        return new DdaBankSlipRegistered(key, T0, snapshot(DdaBankSlipStatus.REGISTERED, BARCODE, null),
                fingerprint('a'), List.of(DdaDataQualityFlag.DIGITABLE_LINE_MISSING), DdaBankSlipStatus.REGISTERED,
                true, BigDecimal.ZERO);
    }

    static DdaBankSlipUpdated partiallyPaid(String key, char fingerprint, int minute, String paid, String after,
                                            boolean current) {
        return new DdaBankSlipUpdated(key, UPDATE, T0.plusSeconds(60L * minute),
                snapshot(DdaBankSlipStatus.PARTIALLY_PAID, current ? BARCODE : "stale", paid), fingerprint(fingerprint),
                List.of(), DdaBankSlipStatus.PARTIALLY_PAID, current, new BigDecimal(after));
    }

    DdaBankSlipView view(String key) {
        return projection.handle(new FindDdaBankSlip(key)).orElseThrow();
    }

    @Test
    void aRegistrationMakesTheRowAndTheQueryAnswersItFromTheStoredSnapshot() {
        projector.fold(3, registered("d1"));

        DdaBankSlipView view = view("d1");
        assertThat(view.status()).isEqualTo("registered");
        assertThat(view.dataQualityFlags()).containsExactly("digitable_line_missing");
        assertThat(view.barcode()).isEqualTo(BARCODE);
        assertThat(view.totalAmount()).isEqualByComparingTo("500.00");
        assertThat(view.totalAmount().scale()).isEqualTo(2);
        assertThat(view.expiration()).isEqualTo(LocalDate.parse("2026-05-30"));
        assertThat(view.beneficiary().documentNumber()).isEqualTo("12345678000199");
        assertThat(view.calculations()).containsExactly(Map.of("amounts.fine", "1.00"));
        assertThat(view.partiallyPaidAmount()).isEqualByComparingTo("0");
        assertThat(view.partialPayments()).isEmpty();
        assertThat(view.snapshotFingerprint()).isEqualTo(fingerprint('a'));
        assertThat(view.snapshotWebhookType()).isEqualTo("baas.dda.bankslip.registration");
        assertThat(view.snapshotsRecorded()).isEqualTo(1);
        assertThat(view.position()).isEqualTo(3);
        assertThat(projection.handle(new FindDdaBankSlip("unknown"))).isEmpty();
    }

    @Test
    void partialPaymentsAreListedInOrderAndAStaleSnapshotKeepsTheCurrentOne() {
        projector.fold(1, registered("d1"));
        projector.fold(2, partiallyPaid("d1", 'b', 10, "100.00", "100.00", true));
        projector.fold(3, partiallyPaid("d1", 'c', 20, "50.00", "150.00", false));

        DdaBankSlipView view = view("d1");
        assertThat(view.status()).isEqualTo("partially_paid");
        assertThat(view.partiallyPaidAmount()).isEqualByComparingTo("150.00");
        assertThat(view.barcode()).isEqualTo(BARCODE);
        assertThat(view.totalPaymentAmount()).isEqualByComparingTo("100.00");
        assertThat(view.snapshotFingerprint()).isEqualTo(fingerprint('b'));
        assertThat(view.partialPayments())
                .extracting(DdaPartialPaymentView::fingerprint, DdaPartialPaymentView::position)
                .containsExactly(tuple(fingerprint('b'), 2L),
                        tuple(fingerprint('c'), 3L));
        assertThat(view.snapshotsRecorded()).isEqualTo(3);
        assertThat(view.lastRecordedAt()).isEqualTo(T0.plusSeconds(1200));
    }

    @Test
    void anEventAtOrBelowTheRowsPositionChangesNothing() {
        projector.fold(5, partiallyPaid("d1", 'b', 10, "100.00", "100.00", true));
        var view = db.rows("dda_bank_slip_view");
        var snapshots = db.rows("dda_bank_slip_snapshot");

        projector.fold(4, partiallyPaid("d1", 'c', 20, "50.00", "150.00", true));
        projector.fold(5, partiallyPaid("d1", 'b', 10, "100.00", "100.00", true));

        assertThat(db.rows("dda_bank_slip_view")).isEqualTo(view);
        assertThat(db.rows("dda_bank_slip_snapshot")).hasSize(2).containsAll(snapshots);
    }

    @Test
    void aBatchedReplayAfterTheResetWritesTheSameRows() {
        Runnable events = () -> {
            projector.fold(1, registered("d1"));
            projector.fold(2, registered("d2"));
            projector.fold(3, partiallyPaid("d1", 'b', 10, "100.00", "100.00", true));
            projector.fold(4, partiallyPaid("d1", 'c', 20, "50.00", "150.00", false));
        };
        events.run();
        var view = db.rows("dda_bank_slip_view");
        var snapshots = db.rows("dda_bank_slip_snapshot");

        projector.reset();
        assertThat(db.rows("dda_bank_slip_view")).isEmpty();
        assertThat(db.rows("dda_bank_slip_snapshot")).isEmpty();
        projector.foldBatched(events);

        assertThat(db.rows("dda_bank_slip_view")).isEqualTo(view).hasSize(2);
        assertThat(db.rows("dda_bank_slip_snapshot")).isEqualTo(snapshots).hasSize(4);
    }
}
