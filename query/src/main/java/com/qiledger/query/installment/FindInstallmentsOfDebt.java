package com.qiledger.query.installment;

/**
 * Every installment reported under one debt key, ordered by due date (installments without one
 * last), then installment key; answered with a list of {@link InstallmentView}, empty when none
 * (ask with {@code ResponseTypes.multipleInstancesOf(InstallmentView.class)}).
 */
public record FindInstallmentsOfDebt(String debtKey) {
}
