package com.qiledger.command.installment;

import com.qiledger.command.messages.installment.InstallmentBilling;
import com.qiledger.command.messages.installment.InstallmentOccurrence;
import com.qiledger.command.messages.installment.InstallmentPayment;
import com.qiledger.command.messages.installment.InstallmentStatus;
import com.qiledger.command.messages.installment.InstallmentStatusReport;
import com.qiledger.command.messages.installment.RecordInstallmentBilling;
import com.qiledger.command.messages.installment.RecordInstallmentStatusChange;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Facts of seed 002, as the translator reads them (zone-less times are São Paulo, UTC-3). */
final class InstallmentSamples {

    static final String KEY = "92a05d9c-e457-4f28-9fa8-86be638ee2d0";
    /** The seed's installment key equals its debt key. */
    static final String DEBT = KEY;
    static final Instant RECORDED = Instant.parse("2026-03-01T12:00:00Z");

    static final InstallmentOccurrence SEED_OCCURRENCE = new InstallmentOccurrence("payment",
            Instant.parse("2022-09-27T10:03:34Z"), new BigDecimal("1009.68"), Instant.parse("2022-09-27T10:03:35Z"),
            "opened", null);
    static final InstallmentPayment SEED_PAYMENT = new InstallmentPayment("f03e1fbc-6d7a-456b-bd6a-db0faac1b481",
            Instant.parse("2026-02-10T14:39:07Z"), new BigDecimal("1009.68"), "pix");
    static final InstallmentPayment SECOND_PAYMENT = new InstallmentPayment("0b1c2d3e-0000-4000-8000-000000000002",
            Instant.parse("2026-02-11T10:00:00Z"), new BigDecimal("200.00"), "bank_slip");

    /** The seed's paid installment. */
    static final InstallmentStatusReport SEED_PAID = new InstallmentStatusReport(InstallmentStatus.PAID,
            InstallmentStatus.PAID, true, LocalDate.parse("2022-10-28"), Instant.parse("2022-09-27T10:03:34Z"),
            List.of(SEED_OCCURRENCE), List.of(SEED_PAYMENT));

    /** The seed's billing element. */
    static final InstallmentBilling SEED_BILLING = new InstallmentBilling(
            "32990001455000000000503007797909797660000100000", "7d20015e-c4ed-4290-b255-33c1c5b56362",
            "00020126580014br.gov.bcb.pix0136dc4a27db", new BigDecimal("141.07452576"),
            new BigDecimal("72.89547424"), "5f25e9fd-f612-47a3-acff-be9f29d87f6c", LocalDate.parse("2024-07-17"),
            new BigDecimal("216.97"));

    private InstallmentSamples() {
    }

    /** A status report whose only time is {@code paidAt} (null: a report without any time). */
    static InstallmentStatusReport report(InstallmentStatus status, String paidAt, Boolean finished,
                                          List<InstallmentPayment> payments) {
        return new InstallmentStatusReport(status, status, finished, LocalDate.parse("2022-10-28"),
                paidAt == null ? null : Instant.parse(paidAt), List.of(), payments);
    }

    static InstallmentStatusReport report(InstallmentStatus status, String paidAt) {
        return report(status, paidAt, false, List.of());
    }

    static RecordInstallmentStatusChange status(InstallmentStatusReport report) {
        return new RecordInstallmentStatusChange(KEY, DEBT, RECORDED, report);
    }

    static RecordInstallmentBilling billing(InstallmentBilling billing) {
        return new RecordInstallmentBilling(KEY, DEBT, RECORDED, billing);
    }

    static InstallmentBilling billing(String dueDate, String total, String digitableLine) {
        return new InstallmentBilling(digitableLine, null, null, null, null, null,
                dueDate == null ? null : LocalDate.parse(dueDate), total == null ? null : new BigDecimal(total));
    }

    static InstallmentPayment payment(String key, String paidAt, String amount) {
        return new InstallmentPayment(key, paidAt == null ? null : Instant.parse(paidAt),
                amount == null ? null : new BigDecimal(amount), "pix");
    }
}
