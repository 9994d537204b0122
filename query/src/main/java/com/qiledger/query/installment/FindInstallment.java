package com.qiledger.query.installment;

/** The current state of one installment; answered with an {@link InstallmentView}, or none. */
public record FindInstallment(String installmentKey) {
}
