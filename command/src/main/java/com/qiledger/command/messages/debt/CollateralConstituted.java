package com.qiledger.command.messages.debt;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The provider reported the debt's collateral as constituted ({@code credit_operation.collateral} with
 * {@code collateral_constituted: true}). {@code occurredAt} is the webhook's {@code event_time}.
 */
@Revision("1")
public record CollateralConstituted(
        String debtKey,
        Instant occurredAt,
        Instant recordedAt,
        Collateral collateral,
        CollateralCheck check,
        boolean collateralCurrent,
        DebtStatus statusAfter) implements CollateralEvent {
}
