package com.qiledger.api.audit;

import com.qiledger.api.platform.LedgerProperties;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Makes a digest every {@code ledger.audit.digest-interval} (default 1 min; zero: never) when anything
 * was written since the newest one. Each node does; two digests of the same moment are harmless.
 */
@Component
public class DigestSchedule {

    private static final Logger log = LoggerFactory.getLogger(DigestSchedule.class);

    private final Digests digests;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public DigestSchedule(Digests digests, LedgerProperties properties) {
        this.digests = digests;
        this.interval = properties.audit().digestInterval();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (interval.isZero() || interval.isNegative() || timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-digests");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            if (digests.latest().map(digests::changedSince).orElse(true)) {
                Digest d = digests.create();
                log.info("digest {} at position {} over {} chains and {} receipts", d.id(), d.position(), d.chains(),
                        d.receipts());
            }
        } catch (RuntimeException e) {
            log.warn("no digest this time: {}", e.toString());
        }
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
