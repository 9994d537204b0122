package com.qiledger.query.bankslip;

/** The current state of one bank slip. Answered with a {@link BankSlipView}, or none if unknown. */
public record FindBankSlip(String bankSlipKey) {
}
