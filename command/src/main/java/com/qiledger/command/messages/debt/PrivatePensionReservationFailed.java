package com.qiledger.command.messages.debt;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The private-pension reservation behind the debt's collateral failed
 * ({@code private_pension_failed_reservation}). {@code occurredAt} is the webhook's {@code event_datetime}.
 */
@Revision("1")
public record PrivatePensionReservationFailed(
        String debtKey,
        Instant occurredAt,
        Instant recordedAt,
        ReservationFailure failure,
        DebtStatus statusAfter) implements DebtEvent {
}
