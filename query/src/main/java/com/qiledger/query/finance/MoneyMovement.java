package com.qiledger.query.finance;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One monetary fact as an event states it, before it becomes a ledger entry: which entity, what kind,
 * how much (exact, scale kept; null when the fact carries no amount, e.g. a Pix refusal), and the
 * instant that dates it with where that instant comes from. {@code reference} identifies the fact
 * within its entity where the provider gives an identifier (payment key, TED transaction key, DDA
 * snapshot fingerprint); {@code detail} says what an auditor needs to read the entry (e.g. a refusal
 * reason).
 */
public record MoneyMovement(
        String entity,
        String key,
        MovementKind kind,
        BigDecimal amount,
        Instant effectiveAt,
        EffectiveSource source,
        String reference,
        String detail) {

    public MoneyMovement {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(effectiveAt, "effectiveAt");
        Objects.requireNonNull(source, "source");
    }

    /** The business day of the fact in the provider's zone (America/Sao_Paulo). */
    public LocalDate effectiveDate() {
        return MoneyMovements.businessDay(effectiveAt);
    }

    MoneyMovement withAmount(BigDecimal newAmount, MovementKind newKind) {
        return new MoneyMovement(entity, key, newKind, newAmount, effectiveAt, source, reference, detail);
    }
}
