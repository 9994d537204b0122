package com.qiledger.command.messages.debt;

import java.math.BigDecimal;
import java.util.List;

/**
 * What the ledger found when it checked a reported collateral: the sum of the funds'
 * {@code lock_gross_amount} and the data-quality flags raised. A flag never refuses the fact: the
 * collateral is recorded as the provider sent it, and the flag tells auditors what does not add up.
 */
public record CollateralCheck(BigDecimal fundsLockTotal, List<String> flags) {

    /** The funds' locks do not add up to {@code total_gross_amount_lock} (compared by value, not scale). */
    public static final String LOCKS_MISMATCH = "collateral_locks_mismatch";

    public CollateralCheck {
        flags = flags == null ? List.of() : List.copyOf(flags);
    }
}
