package com.qiledger.command.messages.debt;

/** The kinds of fact the provider reports about a debt, one per webhook (and status) that carries it. */
public enum DebtFactType {
    /** {@code credit_operation.collateral}. */
    COLLATERAL,
    /** {@code private_pension_failed_reservation}. */
    RESERVATION_FAILURE,
    /** {@code debt} with status {@code canceled}. */
    CANCELLATION,
    /** {@code debt} with status {@code canceled_permanently}. */
    PERMANENT_CANCELLATION
}
