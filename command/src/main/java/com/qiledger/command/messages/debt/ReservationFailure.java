package com.qiledger.command.messages.debt;

/**
 * Why the private-pension reservation behind a collateral failed, as
 * {@code private_pension_failed_reservation} says it: the webhook's top-level {@code status}
 * ({@code failed}) and {@code data.enumerator} / {@code data.description}, kept as sent (null when absent).
 */
public record ReservationFailure(String status, String enumerator, String description) {
}
