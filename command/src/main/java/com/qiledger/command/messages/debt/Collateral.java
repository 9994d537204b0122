package com.qiledger.command.messages.debt;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The collateral of a credit operation as {@code credit_operation.collateral} reports it: the type
 * ({@code private_pension}), whether the provider says it is constituted (null when it did not say),
 * the total gross amount locked, and the funds the lock is spread over. Amounts are exact, scale kept.
 * The total is required: a report without it says nothing the ledger could check.
 * Whether the funds add up to the total is not checked here: a mismatch is recorded as sent and
 * flagged by the aggregate (see {@link CollateralCheck}).
 */
public record Collateral(
        String collateralType,
        Boolean constituted,
        BigDecimal totalGrossAmountLock,
        List<InvestmentFund> investmentFunds) {

    public Collateral {
        Objects.requireNonNull(totalGrossAmountLock, "totalGrossAmountLock");
        investmentFunds = investmentFunds == null ? List.of() : List.copyOf(investmentFunds);
    }
}
