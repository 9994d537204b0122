package com.qiledger.command.bankslip;

import com.qiledger.command.messages.bankslip.BankSlipFacts;
import com.qiledger.command.messages.bankslip.BankSlipStatus;
import com.qiledger.command.messages.bankslip.PaidIn;
import com.qiledger.command.messages.bankslip.PaymentOrigin;
import com.qiledger.command.messages.bankslip.RecordBankSlipStatus;
import com.qiledger.command.messages.bankslip.SlipOccurrence;
import com.qiledger.command.messages.bankslip.SlipPayment;
import com.qiledger.command.messages.bankslip.WriteOffReason;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** Commands shaped like the seed's examples, for one slip. */
final class BankSlipSamples {

    static final String KEY = "505fd25f-89cf-40ca-927c-3800f207146a";
    static final Instant RECORDED = Instant.parse("2026-01-01T00:00:00Z");

    private BankSlipSamples() {
    }

    static RecordBankSlipStatus command(BankSlipStatus status, String occurredAt) {
        Instant at = Instant.parse(occurredAt);
        boolean payment = status == BankSlipStatus.PAID || status == BankSlipStatus.PAYMENT_NOTICE
                || status == BankSlipStatus.NOTARY_OFFICE_PAYMENT_NOTICE;
        SlipOccurrence occurrence = new SlipOccurrence(status.providerName(), "confirmed", "0", List.of(), null,
                "329-01-0001-0000002", "qi_scd", "1", LocalDate.parse("2023-01-10"),
                status == BankSlipStatus.WRITTEN_OFF ? "16" : null, null);
        SlipPayment slipPayment = payment
                ? new SlipPayment(new BigDecimal("551.5"), new BigDecimal("0.0"), new BigDecimal("0.0"), "329",
                        "32402502", "0001", "1727560-2", "2", PaymentOrigin.decode("901"),
                        new PaidIn("QI TECH", "329", "32402502"), LocalDate.parse("2023-01-10"), "qr_code", "system",
                        null)
                : null;
        BankSlipFacts facts = new BankSlipFacts("69993012", LocalDate.parse("2023-01-14"), BigDecimal.ZERO, occurrence,
                slipPayment);
        WriteOffReason reason = status == BankSlipStatus.WRITTEN_OFF
                ? WriteOffReason.decode("16", "Título Baixado pelo Banco por decurso de Prazo")
                : null;
        return new RecordBankSlipStatus(KEY, status, at, RECORDED, facts, reason);
    }
}
