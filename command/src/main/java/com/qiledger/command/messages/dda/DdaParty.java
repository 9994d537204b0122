package com.qiledger.command.messages.dda;

/**
 * The payer or the guarantor of a slip. {@code documentNumber} is a CPF or CNPJ: personal data,
 * recorded and shown to auditors, never logged (so {@link #toString()} leaves it and the name out).
 */
public record DdaParty(
        String name,
        String personType,
        String documentNumber) {

    @Override
    public String toString() {
        return "DdaParty[personType=" + personType + ", name and document withheld]";
    }
}
