package com.qiledger.api.platform;

import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
public class BlockingConfig {

    /**
     * JDBC and Axon work runs here, never on Netty's event loop. Bounded in threads and queue: when
     * both are full a task is rejected at once and the caller answers 503 instead of timing out.
     */
    @Bean(destroyMethod = "dispose")
    public Scheduler blockingScheduler(LedgerProperties properties) {
        return Schedulers.newBoundedElastic(properties.blocking().threads(), properties.blocking().queue(),
                "ledger-blocking");
    }

    /** Microsecond ticks: PostgreSQL keeps microseconds, so recorded times read back as written. */
    @Bean
    public Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
