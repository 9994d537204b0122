package com.qiledger.command.messages.debt;

/**
 * One side of a refused TED ({@code origin} or {@code destination}), fields as the provider sends
 * them; what a side does not carry is null ({@code accountKey} is only on the origin, {@code purpose}
 * only on the destination). {@code document} is a CPF or CNPJ and {@code name} may be a person's: both
 * are stored and shown to auditors, never logged, which is why {@link #toString()} leaves them out.
 */
public record TransferAccount(
        String accountKey,
        String bankCode,
        String branch,
        String branchDigit,
        String accountNumber,
        String accountDigit,
        String type,
        String name,
        String document,
        String purpose) {

    @Override
    public String toString() {
        return "TransferAccount[accountKey=" + accountKey + ", bankCode=" + bankCode + ", branch=" + branch
                + ", branchDigit=" + branchDigit + ", accountNumber=" + accountNumber + ", accountDigit="
                + accountDigit + ", type=" + type + ", name=" + (name == null ? null : "***") + ", document="
                + (document == null ? null : "***") + ", purpose=" + purpose + "]";
    }
}
