package com.qiledger.api.completeness;

import com.qiledger.api.provider.ProviderClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * The events the provider shows undelivered, as a gauge and a health detail (issue 28), refreshed after every
 * sweep: {@code ledger_completeness_undelivered_events{age}} counts them by how long the sweeps have known them
 * ({@code under_1h}, {@code 1h_to_1d}, {@code 1d_to_7d}, {@code over_7d}); the health's {@code completeness}
 * component is {@code DEGRADED} while a {@code failed} event stays unrecovered (no {@code sent} callback, no
 * delivery for a resend) longer than {@code ledger.provider.sweep.degraded-after}. {@code DEGRADED} still
 * answers {@code 200}: the ledger takes webhooks; it is an auditor's and operator's warning.
 */
@Component("completeness")
public class CompletenessStatus implements HealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED", "a failed event stays unrecovered");
    static final Map<String, Duration> AGES = buckets();
    private static final Logger log = LoggerFactory.getLogger(CompletenessStatus.class);

    private final CompletenessReport report;
    private final ProviderClient provider;
    private final SweepProperties settings;
    private final Clock clock;
    private final Map<String, AtomicLong> byAge = new LinkedHashMap<>();
    private volatile Snapshot snapshot;

    record Snapshot(Instant at, int undelivered, int failed, Instant oldestFailedSince, String oldestFailedEvent) {
    }

    public CompletenessStatus(CompletenessReport report, ProviderClient provider, SweepProperties settings,
                              Clock clock, MeterRegistry registry) {
        this.report = report;
        this.provider = provider;
        this.settings = settings;
        this.clock = clock;
        AGES.keySet().forEach(age -> {
            AtomicLong count = new AtomicLong();
            byAge.put(age, count);
            Gauge.builder("ledger.completeness.undelivered.events", count, AtomicLong::get)
                    .description("Events the provider shows undelivered to the ledger and not recovered by a resend, "
                            + "by how long the completeness sweeps have known them")
                    .tag("age", age)
                    .register(registry);
        });
    }

    private static Map<String, Duration> buckets() {
        Map<String, Duration> ages = new LinkedHashMap<>();
        ages.put("under_1h", Duration.ofHours(1));
        ages.put("1h_to_1d", Duration.ofDays(1));
        ages.put("1d_to_7d", Duration.ofDays(7));
        ages.put("over_7d", null);
        return ages;
    }

    /** Counts again when the last count is older than {@code age} (another node may have swept). */
    void refreshIfOlderThan(Duration age) {
        Snapshot now = snapshot;
        if (now == null || !now.at().plus(age).isAfter(clock.instant())) {
            refresh();
        }
    }

    /** The latest count, as the health shows it. */
    public Map<String, Object> details() {
        return health().getDetails();
    }

    /** Counts again from the recorded facts. */
    public void refresh() {
        try {
            Instant now = clock.instant();
            List<CompletenessReport.Undelivered> open = report.undelivered();
            Map<String, Long> counts = new LinkedHashMap<>();
            AGES.keySet().forEach(age -> counts.put(age, 0L));
            CompletenessReport.Undelivered oldestFailed = null;
            int failed = 0;
            for (CompletenessReport.Undelivered event : open) {
                Duration age = Duration.between(event.firstSeen(), now);
                for (Map.Entry<String, Duration> bucket : AGES.entrySet()) {
                    if (bucket.getValue() == null || age.compareTo(bucket.getValue()) < 0) {
                        counts.merge(bucket.getKey(), 1L, Long::sum);
                        break;
                    }
                }
                if (event.failed()) {
                    failed++;
                    if (oldestFailed == null || event.failedSince().isBefore(oldestFailed.failedSince())) {
                        oldestFailed = event;
                    }
                }
            }
            counts.forEach((age, count) -> byAge.get(age).set(count));
            snapshot = new Snapshot(now, open.size(), failed, oldestFailed == null ? null : oldestFailed.failedSince(),
                    oldestFailed == null ? null : oldestFailed.eventKey());
        } catch (RuntimeException e) {
            log.warn("completeness status not refreshed: {}", e.toString());
        }
    }

    @Override
    public Health health() {
        String missing = provider.missingSetting();
        if (missing != null) {
            return Health.up().withDetail("sweep", "off: " + missing + " is not set").build();
        }
        Snapshot now = snapshot;
        if (now == null) {
            return Health.unknown().withDetail("sweep", "no sweep has been counted yet").build();
        }
        Health.Builder health = now.oldestFailedSince() != null
                && !now.oldestFailedSince().plus(settings.degradedAfter()).isAfter(clock.instant())
                ? Health.status(DEGRADED) : Health.up();
        Map<String, Long> ages = new LinkedHashMap<>();
        byAge.forEach((age, count) -> ages.put(age, count.get()));
        health.withDetail("undelivered_events", now.undelivered())
                .withDetail("undelivered_by_age", ages)
                .withDetail("failed_unrecovered", now.failed())
                .withDetail("degraded_after", settings.degradedAfter().toString())
                .withDetail("counted_at", now.at().toString());
        if (now.oldestFailedSince() != null) {
            health.withDetail("oldest_failed_since", now.oldestFailedSince().toString())
                    .withDetail("oldest_failed_event", now.oldestFailedEvent());
        }
        return health.build();
    }
}
