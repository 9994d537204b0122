package com.qiledger.query.debt;

import com.qiledger.command.messages.debt.InvestmentFund;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The debt's current collateral, exact amounts as sent, with both figures of the ledger's check: the
 * reported {@code totalGrossAmountLock} and the {@code fundsLockTotal} the funds add up to. A
 * {@code collateral_locks_mismatch} in {@code flags} means they differ: a data-quality flag, the
 * collateral is recorded all the same. Funds carry their CNPJ ({@code document_number}) for auditors.
 */
public record CollateralView(
        String collateralType,
        Boolean constituted,
        BigDecimal totalGrossAmountLock,
        BigDecimal fundsLockTotal,
        List<String> flags,
        List<InvestmentFund> investmentFunds,
        Instant occurredAt,
        long position) {
}
