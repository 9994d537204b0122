package com.qiledger.command.messages.debt;

/**
 * A reported collateral, constituted or not. {@code check} is what the ledger found when it added up
 * the funds; {@code collateralCurrent} whether this collateral became the debt's current one (the
 * latest reported, see the {@code Debt} aggregate).
 */
public sealed interface CollateralEvent extends DebtEvent permits CollateralConstituted, CollateralReported {

    Collateral collateral();

    CollateralCheck check();

    boolean collateralCurrent();
}
