package com.qiledger.api.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The intake's meters, published at {@code /actuator/prometheus}:
 * {@code ledger_webhook_deliveries_total{family,type,outcome}}, {@code ledger_webhook_refusals_total{check}}
 * and the latency histogram {@code ledger_webhook_intake_seconds{outcome}}. Tags are bounded: the
 * webhook type is one of the known families' types or {@code other}, never free text from a body.
 */
@Component
public class IntakeMetrics {

    private final MeterRegistry registry;
    private final com.qiledger.api.qitech.QiTechTranslator translator;

    public IntakeMetrics(MeterRegistry registry, com.qiledger.api.qitech.QiTechTranslator translator) {
        this.registry = registry;
        this.translator = translator;
        this.batches = DistributionSummary.builder("ledger.webhook.batch.deliveries")
                .description("Deliveries written in one transaction (group commit)")
                .register(registry);
        this.retried = Counter.builder("ledger.webhook.batch.retried")
                .description("Deliveries written again alone after their batch rolled back")
                .register(registry);
    }

    /** Meters by (type, outcome), made once: no registry lookup per delivery (issue 20). */
    private final java.util.concurrent.ConcurrentMap<String, Meters> meters = new java.util.concurrent.ConcurrentHashMap<>();
    private final DistributionSummary batches;
    private final Counter retried;

    private record Meters(Counter deliveries, Timer intake) {
    }

    void delivery(String webhookType, String outcome, Duration latency) {
        String family = translator.familyOf(webhookType);
        String type = "other".equals(family) ? "other" : webhookType;
        Meters m = meters.computeIfAbsent(type + '\u0000' + outcome, k -> meters(family, type, outcome));
        m.deliveries().increment();
        m.intake().record(latency);
    }

    /** How many deliveries one transaction carried (group commit). */
    void batch(int deliveries) {
        batches.record(deliveries);
    }

    /**
     * A batch rolled back and its deliveries were written again one by one (one bad delivery, a lost
     * race with another node, the store): how many deliveries were.
     */
    void batchRetried(int deliveries) {
        retried.increment(deliveries);
    }


    private Meters meters(String family, String type, String outcome) {
        return new Meters(Counter.builder("ledger.webhook.deliveries")
                .description("Webhook deliveries answered, by family, webhook type and outcome")
                .tag("family", family)
                .tag("type", type)
                .tag("outcome", outcome)
                .register(registry),
                Timer.builder("ledger.webhook.intake")
                .description("Time from a delivery's body being read to its answer")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry));
    }

    void refusal(String check) {
        Counter.builder("ledger.webhook.refusals")
                .description("Deliveries refused by authentication, by the check that failed")
                .tag("check", check)
                .register(registry)
                .increment();
    }
}
