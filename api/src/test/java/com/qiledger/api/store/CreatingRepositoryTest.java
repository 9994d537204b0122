package com.qiledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.markDeleted;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.modelling.command.Repository;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: an aggregate created by its first command ({@code CREATE_IF_MISSING}, as every ledger
 * aggregate is) costs no exception. Axon's own repository throws and catches
 * {@code AggregateNotFoundException} for each one (seen here by JFR's exception event, so the check can
 * tell); {@link CreatingRepository} throws none, sources an existing aggregate from its events as
 * Axon's does, and a plain load of a missing aggregate still fails with that exception.
 */
class CreatingRepositoryTest {

    /** Counters kept by the repository under test. */
    static final Function<Configuration, Repository<Counter>> CREATING =
            c -> CreatingRepository.of(Counter.class, c, c.eventStore());

    @Test
    void axonsRepositoryThrowsForEachNewAggregateAndThisOneDoesNot() throws Exception {
        List<String> axons = thrownWhileCounting(null);
        assertThat(axons).contains(AggregateNotFoundException.class.getName());

        List<String> ours = thrownWhileCounting(CREATING);
        assertThat(ours).doesNotContain(AggregateNotFoundException.class.getName());
    }

    @Test
    void anExistingAggregateIsSourcedFromItsEventsAndAPlainLoadOfAMissingOneFails() {
        Configuration axon = counters(CREATING);
        try {
            assertThat(axon.repository(Counter.class)).isInstanceOf(CreatingRepository.class);
            for (String id : List.of("a", "b", "a", "a")) {
                axon.commandGateway().sendAndWait(new Count(id));
            }
            assertThat(counts(axon, "a")).containsExactly(1, 2, 3);
            assertThat(counts(axon, "b")).containsExactly(1);

            Repository<Counter> repository = axon.repository(Counter.class);
            DefaultUnitOfWork<?> unit = DefaultUnitOfWork.startAndGet(null);
            try {
                assertThatThrownBy(() -> repository.load("missing")).isInstanceOf(AggregateNotFoundException.class);
            } finally {
                unit.rollback();
            }
        } finally {
            axon.shutdown();
        }
    }

    /**
     * A deleted aggregate (no ledger aggregate is ever deleted) meets its creating command as with
     * Axon's repository: the same answer, the same events.
     */
    @Test
    void aDeletedAggregateIsTreatedAsAxonTreatsIt() {
        assertThat(afterDeletion(CREATING))
                .isEqualTo(afterDeletion(null));
    }

    /** What counting a deleted counter gives: the failure's class, or the counts then stored. */
    private static String afterDeletion(Function<Configuration, Repository<Counter>> repository) {
        Configuration axon = counters(repository);
        try {
            axon.commandGateway().sendAndWait(new Count("d"));
            axon.commandGateway().sendAndWait(new Forget("d"));
            try {
                axon.commandGateway().sendAndWait(new Count("d"));
            } catch (RuntimeException e) {
                return e.getClass().getName() + " " + counts(axon, "d");
            }
            return counts(axon, "d").toString();
        } finally {
            axon.shutdown();
        }
    }

    /** The exceptions constructed (by class) while new and existing counters count; {@code null}: Axon's repository. */
    private static List<String> thrownWhileCounting(Function<Configuration, Repository<Counter>> repository)
            throws Exception {
        Configuration axon = counters(repository);
        Path file = Files.createTempFile("creating-repository", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.JavaExceptionThrow");
            recording.start();
            for (String id : List.of("n1", "n2", "n1")) {
                axon.commandGateway().sendAndWait(new Count(id));
            }
            recording.stop();
            recording.dump(file);
            assertThat(counts(axon, "n1")).containsExactly(1, 2);
            return RecordingFile.readAllEvents(file).stream()
                    .map(RecordedEvent.class::cast)
                    .map(e -> e.getClass("thrownClass").getName())
                    .toList();
        } finally {
            Files.deleteIfExists(file);
            axon.shutdown();
        }
    }

    /** Counters kept by {@code repository}, or by Axon's default one when it is {@code null}. */
    static Configuration counters(Function<Configuration, Repository<Counter>> repository) {
        AggregateConfigurer<Counter> aggregate = AggregateConfigurer.defaultConfiguration(Counter.class);
        if (repository != null) {
            aggregate.configureRepository(repository);
        }
        Configuration axon = DefaultConfigurer.defaultConfiguration()
                .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
                .configureAggregate(aggregate)
                .buildConfiguration();
        axon.start();
        return axon;
    }

    private static List<Integer> counts(Configuration axon, String id) {
        return axon.eventStore().readEvents(id).asStream()
                .map(DomainEventMessage::getPayload)
                .filter(Counted.class::isInstance)
                .map(p -> ((Counted) p).count())
                .toList();
    }

    record Count(@TargetAggregateIdentifier String id) {
    }

    record Counted(String id, int count) {
    }

    record Forget(@TargetAggregateIdentifier String id) {
    }

    record Forgotten(String id) {
    }

    static class Counter {

        @AggregateIdentifier
        private String id;
        private int count;

        Counter() {
        }

        @CommandHandler
        @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
        void handle(Count command) {
            apply(new Counted(command.id(), count + 1));
        }

        @CommandHandler
        void handle(Forget command) {
            apply(new Forgotten(command.id()));
        }

        @EventSourcingHandler
        void on(Counted event) {
            id = event.id();
            count = event.count();
        }

        @EventSourcingHandler
        void on(Forgotten event) {
            markDeleted();
        }
    }
}
