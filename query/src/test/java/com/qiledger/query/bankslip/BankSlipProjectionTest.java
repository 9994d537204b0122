package com.qiledger.query.bankslip;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.bankslip.BankSlipFacts;
import com.qiledger.command.messages.bankslip.BankSlipPaid;
import com.qiledger.command.messages.bankslip.BankSlipPaymentNotified;
import com.qiledger.command.messages.bankslip.BankSlipRegistered;
import com.qiledger.command.messages.bankslip.BankSlipStatus;
import com.qiledger.command.messages.bankslip.BankSlipWrittenOff;
import com.qiledger.command.messages.bankslip.PaymentOrigin;
import com.qiledger.command.messages.bankslip.SlipPayment;
import com.qiledger.command.messages.bankslip.WriteOffReason;
import com.qiledger.query.support.Projector;
import com.qiledger.query.support.ReadModelDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** Bank-slip events folded into {@code bank_slip_view}, and the view the query answers. */
class BankSlipProjectionTest {

    static final Instant T0 = Instant.parse("2026-03-02T12:00:00Z");

    private final ReadModelDatabase db = ReadModelDatabase.emptied();
    private final BankSlipProjection projection = new BankSlipProjection(db.jdbc());
    private final Projector projector = new Projector(projection, db);

    static BankSlipFacts facts(SlipPayment payment) {
        return new BankSlipFacts("00042", LocalDate.parse("2026-03-31"), new BigDecimal("1.50"), null, payment);
    }

    static SlipPayment payment(String amount) {
        return new SlipPayment(new BigDecimal(amount), new BigDecimal("0.10"), new BigDecimal("0.20"), "104",
                "00360305", null, null, null, PaymentOrigin.decode("03"), null, LocalDate.parse("2026-03-05"), null,
                null, null);
    }

    static BankSlipRegistered registered(String key, int minute) {
        return new BankSlipRegistered(key, T0.plusSeconds(60L * minute), T0.plusSeconds(60L * minute + 1),
                facts(null), BankSlipStatus.REGISTERED);
    }

    static BankSlipPaid paid(String key, int minute, String amount) {
        return new BankSlipPaid(key, T0.plusSeconds(60L * minute), T0.plusSeconds(60L * minute + 1),
                facts(payment(amount)), BankSlipStatus.PAID);
    }

    BankSlipView view(String key) {
        return projection.handle(new FindBankSlip(key)).orElseThrow();
    }

    @Test
    void aRegistrationMakesTheRowAndTheQueryAnswersIt() {
        projector.fold(7, registered("s1", 0));

        BankSlipView view = view("s1");
        assertThat(view.status()).isEqualTo("registered");
        assertThat(view.ourNumber()).isEqualTo("00042");
        assertThat(view.expiration()).isEqualTo(LocalDate.parse("2026-03-31"));
        assertThat(view.rebateAmount()).isEqualByComparingTo("1.50");
        assertThat(view.paidAmount()).isNull();
        assertThat(view.statusOccurredAt()).isEqualTo(T0);
        assertThat(view.firstRecordedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(view.lastRecordedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(view.factsRecorded()).isEqualTo(1);
        assertThat(view.position()).isEqualTo(7);
        assertThat(projection.handle(new FindBankSlip("unknown"))).isEmpty();
    }

    @Test
    void aPaymentBecomesTheStatusWithItsDetails() {
        projector.fold(1, registered("s1", 0));
        projector.fold(2, paid("s1", 10, "100.00"));

        BankSlipView view = view("s1");
        assertThat(view.status()).isEqualTo("paid");
        assertThat(view.paidAmount()).isEqualByComparingTo("100.00");
        assertThat(view.paidAmount().scale()).isEqualTo(2);
        assertThat(view.discountAmount()).isEqualByComparingTo("0.10");
        assertThat(view.paidInterestAmount()).isEqualByComparingTo("0.20");
        assertThat(view.paymentBank()).isEqualTo("104");
        assertThat(view.paymentBankIspb()).isEqualTo("00360305");
        assertThat(view.paymentOriginCode()).isEqualTo("3");
        assertThat(view.paymentOriginDescription()).isEqualTo("internet banking");
        assertThat(view.paymentCreditDate()).isEqualTo(LocalDate.parse("2026-03-05"));
        assertThat(view.statusOccurredAt()).isEqualTo(T0.plusSeconds(600));
        assertThat(view.firstRecordedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(view.lastRecordedAt()).isEqualTo(T0.plusSeconds(601));
        assertThat(view.factsRecorded()).isEqualTo(2);
        assertThat(view.position()).isEqualTo(2);
    }

    @Test
    void aLatePaymentNoticeThatIsNotTheStatusNeverOverwritesThePayment() {
        projector.fold(1, paid("s1", 10, "100.00"));
        projector.fold(2, new BankSlipPaymentNotified("s1", T0, T0.plusSeconds(900), facts(payment("99.00")),
                BankSlipStatus.PAID));

        BankSlipView view = view("s1");
        assertThat(view.status()).isEqualTo("paid");
        assertThat(view.paidAmount()).isEqualByComparingTo("100.00");
        assertThat(view.statusOccurredAt()).isEqualTo(T0.plusSeconds(600));
        assertThat(view.lastRecordedAt()).isEqualTo(T0.plusSeconds(900));
        assertThat(view.factsRecorded()).isEqualTo(2);
    }

    @Test
    void aWriteOffCarriesItsReason() {
        projector.fold(1, registered("s1", 0));
        projector.fold(2, new BankSlipWrittenOff("s1", T0.plusSeconds(60), T0.plusSeconds(61), facts(null),
                WriteOffReason.decode("10", "BAIXA"), BankSlipStatus.WRITTEN_OFF));

        BankSlipView view = view("s1");
        assertThat(view.status()).isEqualTo("written_off");
        assertThat(view.writeOffReasonCode()).isEqualTo("10");
        assertThat(view.writeOffReasonDescription()).isEqualTo("written off at the client's request");
    }

    @Test
    void anEventAtOrBelowTheRowsPositionChangesNothing() {
        projector.fold(5, paid("s1", 10, "100.00"));
        String before = db.rows("bank_slip_view").toString();

        projector.fold(3, registered("s1", 0));
        projector.fold(5, paid("s1", 20, "1.00"));

        assertThat(db.rows("bank_slip_view")).hasToString(before);
        assertThat(view("s1").factsRecorded()).isEqualTo(1);
    }

    @Test
    void aBatchedReplayAfterTheResetWritesTheSameRows() {
        projector.fold(1, registered("s1", 0));
        projector.fold(2, registered("s2", 1));
        projector.fold(3, paid("s1", 10, "100.00"));
        var folded = db.rows("bank_slip_view");

        projector.reset();
        assertThat(db.rows("bank_slip_view")).isEmpty();
        projector.foldBatched(() -> {
            projector.fold(1, registered("s1", 0));
            projector.fold(2, registered("s2", 1));
            projector.fold(3, paid("s1", 10, "100.00"));
        });

        assertThat(db.rows("bank_slip_view")).isEqualTo(folded).hasSize(2);
    }

    @Test
    void aBatchedRunWritesItsRowsAsColumnsEvenWhenAColumnHasOnlyNulls() {
        // paid slips carry no write-off reason: those columns are all null in this run
        java.util.List<String> sent = projector.foldBatchedStatements(() -> {
            projector.fold(1, paid("s1", 10, "100.00"));
            projector.fold(2, paid("s2", 11, "200.00"));
        });

        assertThat(sent).filteredOn(sql -> sql.startsWith("INSERT INTO bank_slip_view ")).isNotEmpty()
                .allSatisfy(sql -> assertThat(sql).contains("FROM unnest(").doesNotContain("VALUES"));
        assertThat(view("s2").paidAmount()).isEqualByComparingTo("200.00");
        assertThat(db.value("SELECT count(*) FROM bank_slip_view WHERE write_off_reason_code IS NULL"
                + " AND write_off_reason_description IS NULL AND rebate_amount = 1.50", Long.class)).isEqualTo(2);
    }
}
