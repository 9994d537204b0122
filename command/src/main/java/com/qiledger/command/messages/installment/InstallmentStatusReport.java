package com.qiledger.command.messages.installment;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Everything one status-change webhook says about an installment.
 *
 * <p>{@code status} is the installment's own {@code installment_status.enumerator} (the webhook's
 * {@code data.status} when the provider left it out); {@code dataStatus} is {@code data.status} as
 * sent. They usually agree; when they do not, both are kept and shown. {@code finished} is
 * {@code data.is_finished} (null when not sent). Lists are as sent, never null.
 */
public record InstallmentStatusReport(
        InstallmentStatus status,
        InstallmentStatus dataStatus,
        Boolean finished,
        LocalDate dueDate,
        Instant paidAt,
        List<InstallmentOccurrence> occurrences,
        List<InstallmentPayment> payments) {

    public InstallmentStatusReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(dataStatus, "dataStatus");
        occurrences = occurrences == null ? List.of() : List.copyOf(occurrences);
        payments = payments == null ? List.of() : List.copyOf(payments);
    }

    /**
     * When the reported change happened at the provider: the webhook has no event time of its own,
     * so it is the latest of the occurrences' {@code event_date}, the installment's {@code paid_at}
     * and the payments' {@code paid_at}; null when the webhook carries none of them.
     */
    public Instant latestProviderTime() {
        return Stream.of(
                        occurrences.stream().map(InstallmentOccurrence::eventDate),
                        Stream.of(paidAt),
                        payments.stream().map(InstallmentPayment::paidAt))
                .flatMap(s -> s)
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(null);
    }
}
