package com.qiledger.api.e2e;

import com.qiledger.command.messages.common.LedgerEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A projection with a bug, for tests only (picked up by the application's component scan): it fails
 * on every event of an entity whose key starts with {@code poison-pill} while {@link #failing} is
 * set, and records what it handled. Events of other entities it ignores.
 */
@Component
@ProcessingGroup(PoisonPillProjection.GROUP)
public class PoisonPillProjection {

    public static final String GROUP = "poison-pill";
    public static volatile boolean failing = true;
    public static final List<String> handled = new CopyOnWriteArrayList<>();
    /**
     * {@code synchronous_commit} and {@code statement_timeout} as the first event this projection
     * handled saw them in its transaction.
     */
    public static volatile String synchronousCommit;
    public static volatile String statementTimeout;

    private final JdbcClient jdbc;

    public PoisonPillProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(LedgerEvent event, DomainEventMessage<?> message) {
        if (synchronousCommit == null) {
            statementTimeout = jdbc.sql("SHOW statement_timeout").query(String.class).single();
            synchronousCommit = jdbc.sql("SHOW synchronous_commit").query(String.class).single();
        }
        if (!message.getAggregateIdentifier().contains(":poison-pill")) {
            return;
        }
        if (failing) {
            throw new IllegalStateException("poison pill: this projection cannot handle "
                    + event.getClass().getSimpleName());
        }
        handled.add(message.getIdentifier());
    }
}
