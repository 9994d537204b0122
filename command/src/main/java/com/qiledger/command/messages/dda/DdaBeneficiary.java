package com.qiledger.command.messages.dda;

/**
 * Who issued the slip and is to be paid. {@code documentNumber} is a CPF or CNPJ: personal data,
 * recorded and shown to auditors, never logged. Codes are text as sent.
 */
public record DdaBeneficiary(
        String name,
        String bankCode,
        String bankIspb,
        String personType,
        String documentNumber) {

    @Override
    public String toString() {
        return "DdaBeneficiary[bankCode=" + bankCode + ", bankIspb=" + bankIspb + ", personType=" + personType
                + ", name and document withheld]";
    }
}
