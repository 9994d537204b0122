package com.qiledger.query.journal;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A standing figure of an entity as the journal posted it: its amount (zero once released), the
 * accounts it was debited to and credited from, and the position and effective date of the transaction
 * that posted it.
 */
public record Figure(String name, BigDecimal amount, String debit, String credit, long position, LocalDate date) {
}
