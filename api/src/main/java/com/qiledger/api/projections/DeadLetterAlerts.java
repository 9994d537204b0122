package com.qiledger.api.projections;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.Map;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueueDecision;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * Says when a projection parks an event (issue 26): one WARN line per event parked, naming the
 * processing group, the event, its entity and position and the kind of error (never the error's
 * text, which may quote a row of personal data; that text is kept with the dead letter), and a gauge
 * {@code ledger_projection_dead_letters{group}} of the letters each group holds. Every event a
 * handler fails on is parked ({@link Decisions#enqueue}), as Axon's default policy does.
 */
@Configuration(proxyBeanMethods = false)
public class DeadLetterAlerts {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterAlerts.class);

    /** A policy naming its group, for every processing group the settings declare, and one for any other. */
    @Bean
    public ConfigurerModule deadLetterPolicies(Environment environment) {
        Map<String, Object> processors = Binder.get(environment)
                .bind("axon.eventhandling.processors", Bindable.mapOf(String.class, Object.class))
                .orElse(Map.of());
        return configurer -> {
            configurer.eventProcessing().registerDefaultDeadLetterPolicy(c -> new Announcing("(unnamed)"));
            for (String group : processors.keySet()) {
                configurer.eventProcessing().registerDeadLetterPolicy(group, c -> new Announcing(group));
            }
        };
    }

    /** The gauge per group, once the processors exist. */
    @EventListener(ApplicationReadyEvent.class)
    public void gauges(ApplicationReadyEvent ready) {
        DeadLetters letters = ready.getApplicationContext().getBean(DeadLetters.class);
        MeterRegistry registry = ready.getApplicationContext().getBean(MeterRegistry.class);
        for (String group : letters.groups()) {
            Gauge.builder("ledger.projection.dead.letters", () -> letters.size(group))
                    .description("Events a projection could not handle, parked in its dead-letter queue")
                    .tag("group", group)
                    .register(registry);
        }
    }

    /** Parks the event and says so. */
    record Announcing(String group) implements EnqueuePolicy<EventMessage<?>> {

        @Override
        public EnqueueDecision<EventMessage<?>> decide(DeadLetter<? extends EventMessage<?>> letter, Throwable cause) {
            EventMessage<?> message = letter.message();
            String entity = message instanceof DomainEventMessage<?> domain ? domain.getAggregateIdentifier() : "-";
            Object position = message instanceof TrackedEventMessage<?> tracked
                    ? tracked.trackingToken().position().stream().boxed().findFirst().orElse(null) : null;
            log.warn("projection {} parked event {} ({}) of {} at position {} in its dead-letter queue: {}{}",
                    group, message.getIdentifier(), message.getPayloadType().getSimpleName(), entity, position,
                    cause == null ? "-" : cause.getClass().getSimpleName(), sqlState(cause));
            return Decisions.enqueue(cause);
        }

        private static String sqlState(Throwable cause) {
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && sql.getSQLState() != null) {
                    return " (SQLSTATE " + sql.getSQLState() + ")";
                }
            }
            return "";
        }
    }
}
