package com.qiledger.command.messages.debt;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One private-pension fund whose balance is locked as collateral, as {@code credit_operation.collateral}
 * lists it in {@code investment_funds}. {@code fundClass} is the provider's {@code class}. The amount
 * locked is required and exact, scale kept. {@code documentNumber} is a CNPJ: stored and shown to
 * auditors, never logged, which is why {@link #toString()} leaves it out.
 */
public record InvestmentFund(
        String susepProcessNumber,
        String certificate,
        String name,
        String documentNumber,
        String fundClass,
        String subclass,
        BigDecimal lockGrossAmount) {

    public InvestmentFund {
        Objects.requireNonNull(lockGrossAmount, "lockGrossAmount");
    }

    @Override
    public String toString() {
        return "InvestmentFund[susepProcessNumber=" + susepProcessNumber + ", certificate=" + certificate
                + ", documentNumber=" + (documentNumber == null ? null : "***") + ", fundClass=" + fundClass
                + ", subclass=" + subclass + ", lockGrossAmount=" + lockGrossAmount + "]";
    }
}
