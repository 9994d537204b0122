package com.qiledger.api.completeness;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The completeness sweep ({@code ledger.provider.sweep.*}, issue 28); where and as whom it calls the
 * provider is {@code ledger.provider.*}, shared with the partner calls. Without a base URL it is off.
 *
 * @param interval      how often a sweep starts ({@code 0}: never on its own; one can still be asked for)
 * @param lookback      how far back each sweep lists the provider's events
 * @param window        the width of one listing window, cut at whole windows from the epoch (at most 14 days,
 *                      the provider's limit; a day by default, so the report can date every event to its day)
 * @param resendAfter   a callback asked for is asked again after this if the provider still does not show it
 *                      {@code sent}, doubling with every request
 * @param pendingAfter  a callback the sweeps have seen for this long and still {@code pending_shipment} is asked
 *                      for like a {@code failed} one
 * @param degradedAfter the health turns {@code DEGRADED} when a {@code failed} event stays unrecovered this long
 */
@ConfigurationProperties("ledger.provider.sweep")
public record SweepProperties(
        @DefaultValue("15m") Duration interval,
        @DefaultValue("14d") Duration lookback,
        @DefaultValue("1d") Duration window,
        @DefaultValue("6h") Duration resendAfter,
        @DefaultValue("24h") Duration pendingAfter,
        @DefaultValue("24h") Duration degradedAfter) {

    /** The provider refuses a listing window longer than this (WEBHOOKS.md). */
    public static final Duration LONGEST_WINDOW = Duration.ofDays(14);

    public SweepProperties {
        if (window.isZero() || window.isNegative() || window.compareTo(LONGEST_WINDOW) > 0) {
            throw new IllegalArgumentException("ledger.provider.sweep.window must be more than 0 and at most 14d"
                    + " (the provider refuses wider windows), not " + window);
        }
        if (lookback.isZero() || lookback.isNegative()) {
            throw new IllegalArgumentException("ledger.provider.sweep.lookback must be more than 0, not " + lookback);
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("ledger.provider.sweep.interval must not be negative");
        }
    }
}
