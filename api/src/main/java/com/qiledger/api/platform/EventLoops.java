package com.qiledger.api.platform;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.resources.LoopResources;

/**
 * The web server's event loops: one per core, not Reactor Netty's default of at least four (issue 20).
 * Their work is short (read a request, write an answer; everything else runs on the delivery workers
 * and the committers), so more loops than cores only split each wake-up's work into smaller pieces and
 * add context switches: on two cores, four loops each woke for a part of every batch's answers.
 * Reactor Netty's own setting, {@code -Dreactor.netty.ioWorkerCount=N}, still decides when given.
 *
 * <p>Spring Boot's server runs on its {@link ReactorResourceFactory}'s loops (its own factory is
 * skipped when one is defined); this one owns its loops instead of Reactor Netty's global ones and
 * disposes of them when the context stops, as Boot's does with the global ones.
 */
@Configuration(proxyBeanMethods = false)
public class EventLoops {

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        int loops = Math.max(1, Integer.getInteger("reactor.netty.ioWorkerCount",
                Runtime.getRuntime().availableProcessors()));
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        factory.setLoopResourcesSupplier(() -> LoopResources.create("ledger-http", loops, true));
        return factory;
    }
}
