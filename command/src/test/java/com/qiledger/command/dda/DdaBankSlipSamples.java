package com.qiledger.command.dda;

import com.qiledger.command.messages.dda.DdaBankSlipSnapshot;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.dda.DdaBeneficiary;
import com.qiledger.command.messages.dda.DdaDiscount;
import com.qiledger.command.messages.dda.DdaFine;
import com.qiledger.command.messages.dda.DdaInterest;
import com.qiledger.command.messages.dda.DdaParty;
import com.qiledger.command.messages.dda.RecordDdaBankSlipSnapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The two snapshots of seed 001 as the translator reads them, and ways to vary them. */
final class DdaBankSlipSamples {

    static final String KEY = "7c52d5f6-9db1-4a3c-bb03-1f76a2e8f9d2";
    static final String REGISTRATION = RecordDdaBankSlipSnapshot.REGISTRATION;
    static final String UPDATE = RecordDdaBankSlipSnapshot.UPDATE;
    static final Instant RECORDED = Instant.parse("2026-01-01T00:00:00Z");

    static final DdaBeneficiary BENEFICIARY = new DdaBeneficiary("Tech Solutions Ltda.", "123", "12345678", "legal",
            "12345678000100");
    static final DdaParty PAYER = new DdaParty("João Carlos", "natural", "12345678900");
    static final DdaParty GUARANTOR = new DdaParty("Maria Junior", "natural", "03903984900");

    /** The seed's registration. */
    static final DdaBankSlipSnapshot REGISTERED = new DdaBankSlipSnapshot(
            "00193000000001000000500000001234567890123456",
            "00193000000001000000500000001234567890123456123",
            DdaBankSlipStatus.REGISTERED,
            new BigDecimal("1050"), new BigDecimal("999"), null, null, null, null,
            true, LocalDate.parse("2024-07-19"), LocalDate.parse("2024-09-02"),
            BENEFICIARY, PAYER, GUARANTOR, new BigDecimal("30.00"),
            List.of(new DdaInterest("workdays_daily_amount", LocalDate.parse("2024-07-21"), new BigDecimal("10.00"))),
            List.of(new DdaFine(LocalDate.parse("2024-07-29"), "absolute", new BigDecimal("100.00"))),
            List.of(new DdaDiscount(LocalDate.parse("2024-07-05"), "absolute", new BigDecimal("50.00"))),
            List.of(), "01");

    /** The seed's update: paid, with another barcode under the same key. */
    static final DdaBankSlipSnapshot PAID = new DdaBankSlipSnapshot(
            "00193000000001000000500000001234567890123457",
            "00193000000001000000500000001234567890123456123",
            DdaBankSlipStatus.PAID,
            new BigDecimal("1050"), new BigDecimal("1200"), new BigDecimal("1200"), new BigDecimal("150"),
            new BigDecimal("50"), new BigDecimal("0"),
            false, LocalDate.parse("2024-05-30"), LocalDate.parse("2024-07-01"),
            BENEFICIARY, PAYER, GUARANTOR, new BigDecimal("30.00"),
            List.of(new DdaInterest("workdays_daily_amount", LocalDate.parse("2024-05-21"), new BigDecimal("10.00"))),
            List.of(new DdaFine(LocalDate.parse("2024-05-29"), "absolute", new BigDecimal("100.00"))),
            List.of(new DdaDiscount(LocalDate.parse("2024-05-05"), "absolute", new BigDecimal("50.00"))),
            List.of(), "01");

    private DdaBankSlipSamples() {
    }

    /** The registration with another status and payment amount, as a later update would say. */
    static DdaBankSlipSnapshot withStatus(DdaBankSlipStatus status, String totalPaymentAmount) {
        DdaBankSlipSnapshot s = REGISTERED;
        return new DdaBankSlipSnapshot(s.barcode(), s.digitableLine(), status, s.nominalAmount(), s.totalAmount(),
                totalPaymentAmount == null ? null : new BigDecimal(totalPaymentAmount), s.paidFine(),
                s.paidInterest(), s.discountAmount(), s.partialPaymentAllowed(), s.expiration(),
                s.maxPaymentDate(), s.beneficiary(), s.payer(), s.guarantor(), s.rebateAmount(), s.interest(),
                s.fine(), s.discounts(), s.calculations(), s.calculationModel());
    }

    static DdaBankSlipSnapshot withCodes(DdaBankSlipSnapshot s, String barcode, String digitableLine) {
        return new DdaBankSlipSnapshot(barcode, digitableLine, s.status(), s.nominalAmount(), s.totalAmount(),
                s.totalPaymentAmount(), s.paidFine(), s.paidInterest(), s.discountAmount(),
                s.partialPaymentAllowed(), s.expiration(), s.maxPaymentDate(), s.beneficiary(), s.payer(),
                s.guarantor(), s.rebateAmount(), s.interest(), s.fine(), s.discounts(), s.calculations(),
                s.calculationModel());
    }

    static RecordDdaBankSlipSnapshot registration(DdaBankSlipSnapshot snapshot) {
        return new RecordDdaBankSlipSnapshot(KEY, REGISTRATION, RECORDED, snapshot);
    }

    static RecordDdaBankSlipSnapshot update(DdaBankSlipSnapshot snapshot) {
        return new RecordDdaBankSlipSnapshot(KEY, UPDATE, RECORDED, snapshot);
    }
}
