package com.qiledger.command.messages.installment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.axonframework.serialization.Revision;

/**
 * The provider reported a status change of the installment ({@code installment.status_change}).
 * {@code report} is the fact as sent; the other fields are what the aggregate decided once the fact
 * was known, so read models only follow:
 * <ul>
 *   <li>{@code current}: this fact became the installment's current status fact, and
 *       {@code statusAfter} is the status after it;</li>
 *   <li>{@code finishedAfter}: some fact so far said {@code is_finished = true};</li>
 *   <li>{@code newOccurrences}: entries of the installment's event list not known before;</li>
 *   <li>{@code newPayments}: payments whose {@code installment_payment_key} was not known before, or
 *       a new version of a known key that now stands in its place (see {@code Installment});</li>
 *   <li>{@code paidAmountAfter}: the sum over distinct payment keys, each counted once.</li>
 * </ul>
 * {@code occurredAt} is {@link InstallmentStatusReport#latestProviderTime()}.
 */
@Revision("1")
public record InstallmentStatusChanged(
        String installmentKey,
        String debtKey,
        Instant occurredAt,
        Instant recordedAt,
        InstallmentStatusReport report,
        boolean current,
        InstallmentStatus statusAfter,
        boolean finishedAfter,
        List<InstallmentOccurrence> newOccurrences,
        List<InstallmentPayment> newPayments,
        BigDecimal paidAmountAfter) implements InstallmentEvent {

    public InstallmentStatusChanged {
        newOccurrences = newOccurrences == null ? List.of() : List.copyOf(newOccurrences);
        newPayments = newPayments == null ? List.of() : List.copyOf(newPayments);
    }
}
