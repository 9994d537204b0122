package com.qiledger.api.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.qiledger.api.platform.LedgerProperties;
import java.time.Duration;
import com.qiledger.command.messages.common.LedgerCommand;
import com.qiledger.query.support.BatchedProjectionWrites;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/** Axon wiring that Spring Boot's defaults do not give. */
@Configuration(proxyBeanMethods = false)
public class AxonConfig {

    /**
     * The event store's JSON. Fixed here, apart from the web's mapper, because stored events are
     * forever: ISO-8601 times, exact decimals written as they are, unknown properties tolerated so
     * that an event written by a newer version still reads.
     */
    @Bean("defaultAxonObjectMapper")
    public ObjectMapper defaultAxonObjectMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
    }

    /**
     * The web's mapper, as Spring Boot would have made it (declaring the Axon mapper above switches
     * Boot's own off).
     */
    @Bean
    @Primary
    public ObjectMapper objectMapper(Jackson2ObjectMapperBuilder builder) {
        return builder.build();
    }

    /**
     * Axon's default, which it drops as soon as any other provider is declared (the intake declares
     * one: {@code ReceiptCorrelationConfiguration}).
     */
    @Bean
    public CorrelationDataProvider messageOriginProvider() {
        return new MessageOriginProvider();
    }

    /**
     * Axon's embedded event store as its Spring Boot auto-configuration builds it, whose
     * read-ahead for the projections wakes at most once per {@code ledger.projections.linger}
     * (see {@link LingeringEventStore}) and keeps the newest {@code ledger.projections.cached-events}.
     */
    @Qualifier("eventStore")
    @Bean(name = "eventBus")
    public EmbeddedEventStore eventStore(EventStorageEngine storageEngine,
                                         org.axonframework.config.Configuration configuration,
                                         LedgerProperties properties) {
        return new LingeringEventStore(EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .cachedEvents(properties.projections().cachedEvents()),
                properties.projections().linger());
    }

    /**
     * Axon's JDBC error-code resolver (duplicate key = concurrency conflict), which its
     * auto-configuration no longer declares once the event store above is declared here.
     */
    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new JdbcSQLErrorCodesResolver();
    }

    /**
     * What every projection's tracking processor reads ({@code source: projectionEvents} in
     * application.yml): the event store with a short linger, {@code ledger.projections.linger}
     * (see {@link LingeringEventSource}).
     */
    @Bean
    public LingeringEventSource projectionEvents(EventStore eventStore,
            LedgerProperties properties) {
        return new LingeringEventSource(eventStore, properties.projections().linger());
    }

    /**
     * How many just-written events are kept for the projections' read of them ({@link WrittenEvents}):
     * the read-ahead reads an event about one linger (100 ms) after its commit, some 500 events at
     * 5,000 webhooks/s; each is forgotten when read, so the kept ones die young.
     */
    static final int WRITTEN_EVENTS_KEPT = 4096;

    /**
     * Axon's JDBC event store as its Spring Boot auto-configuration builds it, with the two wasted
     * reads per aggregate load removed, each append one multi-row insert, and the events just written
     * handed to the projections' read without parsing them again (see {@link LedgerEventStorageEngine}).
     */
    @Bean
    public EventStorageEngine eventStorageEngine(Serializer defaultSerializer,
                                                 PersistenceExceptionResolver persistenceExceptionResolver,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 org.axonframework.config.Configuration configuration,
                                                 ConnectionProvider connectionProvider,
                                                 TransactionManager transactionManager,
                                                 LedgerProperties properties) {
        return new LedgerEventStorageEngine(JdbcEventStorageEngine.builder()
                .snapshotSerializer(defaultSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(new EventSchema()), transactionManager, properties.audit().chain(),
                properties.projections().handOver()
                        ? new WrittenEvents(WRITTEN_EVENTS_KEPT, properties.projections().checkHandOver()) : null);
    }

    /**
     * {@code ledger_projections_events_read_total{how}}: the events the projections' tracking reads took,
     * {@code handed_over} as written (no parse, {@link WrittenEvents}) or {@code parsed} from their stored
     * bytes (another node's, a processor behind the store's read-ahead, a rebuild). A parsed share that
     * grows under load says the processors fall behind the read-ahead.
     */
    @Bean
    public io.micrometer.core.instrument.binder.MeterBinder projectionEventsRead(EventStorageEngine engine) {
        return registry -> {
            if (engine instanceof LedgerEventStorageEngine ledger) {
                io.micrometer.core.instrument.FunctionCounter.builder("ledger.projections.events.read", ledger,
                                LedgerEventStorageEngine::handedOverEvents)
                        .tag("how", "handed_over")
                        .description("events the projections' tracking reads took as written, not parsed again")
                        .register(registry);
                io.micrometer.core.instrument.FunctionCounter.builder("ledger.projections.events.read", ledger,
                                LedgerEventStorageEngine::parsedEvents)
                        .tag("how", "parsed")
                        .description("events the projections' tracking reads parsed from their stored bytes")
                        .register(registry);
            }
        };
    }

    /**
     * Which aggregate a command targets, asked of the command itself: every ledger command names it
     * ({@link LedgerCommand#aggregateId()}). Axon's default resolver looks for the annotated field by
     * walking the command class's fields and methods with reflection on every command (issue 20's
     * profile); it remains the answer for any other command.
     */
    @Bean
    public CommandTargetResolver commandTargetResolver() {
        CommandTargetResolver annotated = AnnotationCommandTargetResolver.builder().build();
        return command -> command.getPayload() instanceof LedgerCommand ledger
                ? new VersionedAggregateIdentifier(ledger.aggregateId(), null)
                : annotated.resolveTarget(command);
    }

    /**
     * Every aggregate's repository: Axon's, creating a missing aggregate without an exception (see
     * {@link CreatingRepository}). Static: it registers bean definitions before any bean is made.
     */
    @Bean
    public static CreatingRepository.Registrar creatingRepositories() {
        return new CreatingRepository.Registrar();
    }

    /**
     * Live projections queue their writes and send them once per batch, in the batch's transaction
     * (see {@link BatchedProjectionWrites}, issue 20).
     */
    @Bean
    public ConfigurerModule batchedProjectionWritesModule(BatchedProjectionWrites writes) {
        return configurer -> configurer.eventProcessing().registerDefaultHandlerInterceptor((c, name) ->
                writes.forProcessor(name));
    }
}
