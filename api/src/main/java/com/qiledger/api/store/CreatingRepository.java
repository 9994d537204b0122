package com.qiledger.api.store;

import java.util.concurrent.Callable;
import org.axonframework.common.StringUtils;
import org.axonframework.common.lock.Lock;
import org.axonframework.common.lock.LockFactory;
import org.axonframework.common.lock.PessimisticLockFactory;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.modelling.command.LockAwareAggregate;
import org.axonframework.modelling.command.RepositorySpanFactory;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.spring.stereotype.Aggregate;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.ResolvableType;

/**
 * Axon's event-sourcing repository, as its default configuration builds it for an aggregate, that
 * creates a missing aggregate without an exception (issue 20). Every ledger aggregate is created by its
 * first command ({@code @CreationPolicy(CREATE_IF_MISSING)}): Axon's repository then loads it, finds no
 * event, throws {@code AggregateNotFoundException} with its stack trace filled in, catches it and
 * creates the aggregate. That was once per new slip, installment or batch, on the committer thread, with
 * a stack of about a hundred frames (Axon's interceptors, the batch's unit of work). Here the stream is
 * read once, under the aggregate's lock: empty, the aggregate is created; not empty, the same stream
 * sources it as Axon's load would (a deleted aggregate is refused with {@code AggregateDeletedException},
 * as by Axon's; no ledger aggregate is ever deleted). The lock, its release with the unit of work's
 * cleanup and the aggregate returned are Axon's own ({@code LockingRepository.doLoadOrCreate}); Axon
 * keeps its lock factory private, so this repository holds the one it gives Axon's builder.
 *
 * <p>A plain load (a command for an aggregate that must exist) is Axon's, unchanged: a missing
 * aggregate is still {@code AggregateNotFoundException} there, which callers answer (a partner call for
 * an unknown debt is a 404).
 *
 * <p>Each aggregate gets one through {@link Registrar}, by name: Axon's Spring support takes a bean
 * named after an aggregate ({@code bankSlipRepository} for {@code BankSlip}) as its repository. The
 * registrar finds the aggregates as Axon does (beans annotated {@code @Aggregate}), so this module
 * names none of them: it reaches them only through the command bus (ARCHITECTURE.md).
 */
public final class CreatingRepository<T> extends EventSourcingRepository<T> {

    private final LockFactory locks;
    /** A stream read by {@link #doLoadOrCreate} and handed to Axon's load on the same thread. */
    private final ThreadLocal<DomainEventStream> read = new ThreadLocal<>();

    private CreatingRepository(Builder<T> builder, LockFactory locks) {
        super(builder);
        this.locks = locks;
    }

    /** The repository of {@code type} with the components Axon's default configuration gives it. */
    public static <T> CreatingRepository<T> of(Class<T> type, Configuration axon, EventStore events) {
        LockFactory locks = PessimisticLockFactory.usingDefaults();
        Builder<T> builder = EventSourcingRepository.builder(type)
                .aggregateModel(AnnotatedAggregateMetaModelFactory.inspectAggregate(type,
                        axon.parameterResolverFactory(), axon.handlerDefinition(type)))
                .eventStore(events)
                .repositoryProvider(axon::repository)
                .spanFactory(axon.getComponent(RepositorySpanFactory.class))
                .lockFactory(locks);
        return new CreatingRepository<>(builder, locks);
    }

    @Override
    protected LockAwareAggregate<T, EventSourcedAggregate<T>> doLoadOrCreate(String aggregateIdentifier,
            Callable<T> factoryMethod) throws Exception {
        Lock lock = locks.obtainLock(aggregateIdentifier);
        try {
            DomainEventStream stream = readEvents(aggregateIdentifier);
            EventSourcedAggregate<T> aggregate;
            if (stream.hasNext()) {
                read.set(stream);
                try {
                    aggregate = doLoadWithLock(aggregateIdentifier, null);
                } finally {
                    read.remove();
                }
            } else {
                aggregate = doCreateNewForLock(factoryMethod);
            }
            CurrentUnitOfWork.get().onCleanup(u -> lock.release());
            return new LockAwareAggregate<>(aggregate, lock);
        } catch (Throwable failure) {
            lock.release();
            throw failure;
        }
    }

    @Override
    protected DomainEventStream readEvents(String aggregateIdentifier) {
        DomainEventStream stream = read.get();
        if (stream != null) {
            read.remove();
            return stream;
        }
        return super.readEvents(aggregateIdentifier);
    }

    /**
     * Registers a {@code <aggregate>Repository} bean of this kind for every {@code @Aggregate} bean
     * that has none. It runs with the bean definitions, before Axon's aggregate lookup reads them.
     */
    public static final class Registrar implements BeanDefinitionRegistryPostProcessor {

        @Override
        public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
            if (!(registry instanceof ConfigurableListableBeanFactory beans)) {
                throw new IllegalStateException("the aggregates' repositories need a listable bean factory");
            }
            for (String name : beans.getBeanNamesForAnnotation(Aggregate.class)) {
                Class<?> type = beans.getType(name, false);
                if (type == null) {
                    continue;
                }
                register(registry, beans, type);
            }
        }

        private static <T> void register(BeanDefinitionRegistry registry, ConfigurableListableBeanFactory beans,
                Class<T> type) {
            String name = StringUtils.lowerCaseFirstCharacterOf(type.getSimpleName()) + "Repository";
            if (registry.containsBeanDefinition(name)) {
                return;
            }
            RootBeanDefinition repository = new RootBeanDefinition(CreatingRepository.class);
            repository.setTargetType(ResolvableType.forClassWithGenerics(CreatingRepository.class, type));
            repository.setInstanceSupplier(() -> of(type, beans.getBean(Configuration.class),
                    beans.getBean(EventStore.class)));
            registry.registerBeanDefinition(name, repository);
        }

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        }
    }
}
