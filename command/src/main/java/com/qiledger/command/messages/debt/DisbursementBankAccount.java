package com.qiledger.command.messages.debt;

import java.math.BigDecimal;

/**
 * One account of a {@code change_disbursement_date} call ({@code disbursement_bank_accounts[]}), as the
 * operator gave it. {@code documentNumber} (CPF/CNPJ) and {@code name} are stored and sent, never
 * logged: {@link #toString()} leaves them out.
 */
public record DisbursementBankAccount(
        String branchNumber,
        String accountDigit,
        String accountNumber,
        String accountType,
        String documentNumber,
        String bankCode,
        String ispbNumber,
        String name,
        BigDecimal percentageReceivable) {

    @Override
    public String toString() {
        return "DisbursementBankAccount[branchNumber=" + branchNumber + ", accountType=" + accountType
                + ", bankCode=" + bankCode + ", ispbNumber=" + ispbNumber + ", documentNumber=***, name=***"
                + ", percentageReceivable=" + percentageReceivable + "]";
    }
}
