package com.qiledger.command.debt;

import com.qiledger.command.messages.debt.Collateral;
import com.qiledger.command.messages.debt.DisbursementRefusal;
import com.qiledger.command.messages.debt.InvestmentFund;
import com.qiledger.command.messages.debt.PixRefusal;
import com.qiledger.command.messages.debt.RecordCollateral;
import com.qiledger.command.messages.debt.RecordDebtCanceledPermanently;
import com.qiledger.command.messages.debt.RecordDebtCancellation;
import com.qiledger.command.messages.debt.RecordReservationFailure;
import com.qiledger.command.messages.debt.ReservationFailure;
import com.qiledger.command.messages.debt.TedRefusal;
import com.qiledger.command.messages.debt.TransferAccount;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The seed 004 facts as commands, and builders for variants of them. */
final class DebtSamples {

    static final String KEY = "5b0e7a52-6c1d-4f0e-9a7b-1c2d3e4f5a6b";
    static final Instant RECORDED = Instant.parse("2026-01-01T00:00:00Z");

    private DebtSamples() {
    }

    static InvestmentFund fund(String susep, String lock) {
        return new InvestmentFund(susep, "12345678", "QI Fund " + susep, "32402502000135", "", "",
                new BigDecimal(lock));
    }

    /** A collateral of one fund per lock. */
    static Collateral collateral(Boolean constituted, String total, String... locks) {
        List<InvestmentFund> funds = new ArrayList<>();
        for (int i = 0; i < locks.length; i++) {
            funds.add(fund(String.valueOf(111111111111L * (i + 1)), locks[i]));
        }
        return new Collateral("private_pension", constituted, new BigDecimal(total), funds);
    }

    /** The seed's collateral: 1500 locked over three funds of 500. */
    static final Collateral SEED_COLLATERAL = collateral(true, "1500", "500", "500", "500");

    static final ReservationFailure SEED_FAILURE =
            new ReservationFailure("failed", "Fail enumerator.", "Descrição da falha.");

    static final DisbursementRefusal SEED_TED = DisbursementRefusal.ted(new TedRefusal(
            "16faabfc-3876-437d-a4f6-aae17a1d68c9",
            "341 0000 000000-7 12345678900 - NOME DO EMPREGADO",
            new TransferAccount("a1d2dea5-fa90-4676-a125-da355fdc3ed0", "329", "0001", null, "00086", "8",
                    "payment_account", "ACCOUNT TRANSITORY", "32402502000135", null),
            new TransferAccount(null, "341", "0000", null, "000000", "7", "checking_account", "NOME DO EMPREGADO",
                    "12345678900", "Crédito em Conta"),
            new BigDecimal("483.6"),
            new BigDecimal("0"),
            "agencia_conta_invalida",
            "Agência ou Conta Destinatária do Crédito Inválida",
            Instant.parse("2022-11-07T17:36:05Z")));

    static final DisbursementRefusal SEED_PIX = DisbursementRefusal.pix(new PixRefusal("invalid_document_number",
            "CPF/CNPJ do usuário recebedor não é compatível com o titular da conta de destino."));

    static RecordCollateral collateralAt(String at, Collateral collateral) {
        return new RecordCollateral(KEY, Instant.parse(at), RECORDED, collateral);
    }

    static RecordReservationFailure failureAt(String at, ReservationFailure failure) {
        return new RecordReservationFailure(KEY, Instant.parse(at), RECORDED, failure);
    }

    static RecordDebtCancellation cancellationAt(String at, DisbursementRefusal refusal) {
        return new RecordDebtCancellation(KEY, Instant.parse(at), RECORDED, refusal);
    }

    static RecordDebtCanceledPermanently permanentAt(String at) {
        return new RecordDebtCanceledPermanently(KEY, Instant.parse(at), RECORDED);
    }
}
