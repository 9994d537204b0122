package com.qiledger.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Issue 20: the server's event loops are one per core, its own (not Reactor Netty's global four), and
 * named for the ledger.
 */
class EventLoopsTest {

    @Test
    void oneEventLoopPerCoreOwnedByTheFactory() throws Exception {
        ReactorResourceFactory factory = new EventLoops().reactorResourceFactory();
        factory.afterPropertiesSet();
        try {
            assertThat(factory.isUseGlobalResources()).isFalse();
            EventLoopGroup loops = factory.getLoopResources().onServer(true);
            List<String> names = new ArrayList<>();
            for (EventExecutor loop : loops) {
                names.add(loop.submit(() -> Thread.currentThread().getName()).get());
            }
            assertThat(names).hasSize(Runtime.getRuntime().availableProcessors())
                    .allMatch(name -> name.startsWith("ledger-http-"));
        } finally {
            factory.destroy();
        }
    }
}
