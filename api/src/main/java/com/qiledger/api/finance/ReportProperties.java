package com.qiledger.api.finance;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the finance reports ({@code ledger.reports.*}). {@code unsettledAfterDays}: how many days
 * after its notice a bank slip notified as paid must be settled, counted to the report's {@code to}
 * date, before the reconciliation report lists it as unsettled (rule 3).
 * {@code cancellationUnconfirmedAfterDays}: how many days after it was asked a permanent cancellation
 * sent to the provider must be confirmed by its webhook before the report lists it (rule 7, issue 22).
 */
@ConfigurationProperties("ledger.reports")
public record ReportProperties(@DefaultValue("2") int unsettledAfterDays,
                               @DefaultValue("5") int cancellationUnconfirmedAfterDays) {

    public ReportProperties {
        if (cancellationUnconfirmedAfterDays < 0) {
            throw new IllegalArgumentException(
                    "ledger.reports.cancellation-unconfirmed-after-days must not be negative");
        }
        if (unsettledAfterDays < 0) {
            throw new IllegalArgumentException("ledger.reports.unsettled-after-days must not be negative");
        }
    }
}
