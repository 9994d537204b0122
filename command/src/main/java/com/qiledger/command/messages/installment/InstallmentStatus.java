package com.qiledger.command.messages.installment;

import java.util.Arrays;
import java.util.Optional;

/** The eight statuses of {@code installment.status_change}, named as the provider names them. */
public enum InstallmentStatus {
    OPENED("opened"),
    WAITING_PAYMENT("waiting_payment"),
    OVERDUE("overdue"),
    PAID_PARTIAL("paid_partial"),
    PAID_PARTIAL_OVERDUE("paid_partial_overdue"),
    PAID_EARLY("paid_early"),
    PAID("paid"),
    PAID_OVERDUE("paid_overdue");

    private final String providerName;

    InstallmentStatus(String providerName) {
        this.providerName = providerName;
    }

    public String providerName() {
        return providerName;
    }

    public static Optional<InstallmentStatus> fromProvider(String name) {
        return Arrays.stream(values()).filter(s -> s.providerName.equals(name)).findFirst();
    }
}
