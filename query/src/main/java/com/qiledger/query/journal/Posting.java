package com.qiledger.query.journal;

import java.math.BigDecimal;

/**
 * One posting of a journal transaction: an account and exactly one of a debit and a credit (the other
 * null). {@code reverses} is the position of the transaction whose posting this one takes back, null
 * for a posting of a new figure.
 */
public record Posting(int line, String account, BigDecimal debit, BigDecimal credit, Long reverses) {

    /** The posting's debit minus its credit. */
    public BigDecimal signed() {
        return debit != null ? debit : credit.negate();
    }
}
