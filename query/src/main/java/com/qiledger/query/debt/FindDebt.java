package com.qiledger.query.debt;

/** The current state of one debt; answered with a {@link DebtView}, or none. */
public record FindDebt(String debtKey) {
}
