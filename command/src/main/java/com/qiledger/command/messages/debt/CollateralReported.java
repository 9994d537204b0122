package com.qiledger.command.messages.debt;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The provider reported a collateral for the debt without saying it is constituted
 * ({@code collateral_constituted} false or absent). {@code occurredAt} is the webhook's {@code event_time}.
 */
@Revision("1")
public record CollateralReported(
        String debtKey,
        Instant occurredAt,
        Instant recordedAt,
        Collateral collateral,
        CollateralCheck check,
        boolean collateralCurrent,
        DebtStatus statusAfter) implements CollateralEvent {
}
