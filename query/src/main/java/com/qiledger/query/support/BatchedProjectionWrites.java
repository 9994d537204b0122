package com.qiledger.query.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.stereotype.Component;

/**
 * Live projections write in batches (issue 20): while a tracking processor handles a batch of
 * events in one transaction, the writes of a {@link BatchableHandlers} projection are queued
 * ({@link BatchedWrites}) and sent when the batch's unit of work prepares to commit, table by table
 * as JDBC batches, in the same transaction as the processor's token: one round trip per table and
 * statement for the whole batch instead of one per event, exactly as a rebuild writes.
 *
 * <p>The dead-letter guarantee of issue 26 is kept. A write that PostgreSQL refuses now fails when
 * the batch is sent, not in the handler of its event, so the batch is rolled back and no handler
 * can name the culprit: every event of that batch is then remembered as failed
 * ({@link IsolatedEventHandlers#rememberFailure}), and when the processor retries the batch its
 * writes run at once, from the first remembered event on, each event's handler in a savepoint, so the
 * one bad event is parked in the dead-letter queue and the rest are written.
 *
 * <p>Every projection's batch, batched or not, commits asynchronously ({@link #asynchronousCommit()}).
 *
 * <p>A processing group is batched only when every handler bean of the group is a
 * {@link BatchableHandlers} projection; any other group runs its writes at once, as before.
 */
@Component
public class BatchedProjectionWrites {

    private static final Logger log = LoggerFactory.getLogger(BatchedProjectionWrites.class);
    private static final String RUN = BatchedProjectionWrites.class.getName() + ".run";
    private static final String ASYNCHRONOUS = BatchedProjectionWrites.class.getName() + ".asynchronous";

    private final ObjectProvider<NamedParameterJdbcOperations> jdbc;
    private final IsolatedEventHandlers isolated;
    private final ApplicationContext context;
    private volatile Set<String> batchable;

    public BatchedProjectionWrites(ObjectProvider<NamedParameterJdbcOperations> jdbc, IsolatedEventHandlers isolated,
                                   ApplicationContext context) {
        this.jdbc = jdbc;
        this.isolated = isolated;
        this.context = context;
    }

    /** The interceptor for the processor (processing group) of that name. */
    public MessageHandlerInterceptor<EventMessage<?>> forProcessor(String processor) {
        return (unitOfWork, chain) -> {
            if (!(unitOfWork.getMessage() instanceof TrackedEventMessage)) {
                // only a tracking processor's own batch: a subscribing processor runs in the unit of
                // work and transaction of the intake that published the event
                return chain.proceed();
            }
            UnitOfWork<?> batch = unitOfWork.root();
            if (batch.getResource(ASYNCHRONOUS) == null) {
                asynchronousCommit();
                batch.resources().put(ASYNCHRONOUS, Boolean.TRUE);
            }
            if (!batchable().contains(processor)) {
                return chain.proceed();
            }
            Batch run = batch.getResource(RUN);
            if (run == null) {
                Batch opened = new Batch(BatchedWrites.open(jdbc.getObject()));
                batch.resources().put(RUN, opened);
                batch.onPrepareCommit(u -> send(opened));
                batch.onCleanup(u -> opened.run().close());
                run = opened;
            }
            String event = unitOfWork.getMessage().getIdentifier();
            run.events().add(event);
            if (run.run().isOpen() && isolated.remembersFailureOf(event)) {
                // a retry of a batch whose writes failed: from here on, each event's writes at once
                run.run().flush();
                run.run().close();
            }
            return chain.proceed();
        };
    }

    /**
     * A projection's batch commits without waiting for its WAL to reach the disk
     * ({@code synchronous_commit = off} for that transaction only; the intake's transactions keep
     * waiting, so a {@code 200} still means on disk). What a read model holds is derived from the
     * event store and its token commits in the same transaction: a crash can only lose the last
     * moment of projection work as a whole, token included, and the processor does it again after
     * the restart. Nothing acknowledged to the provider is ever at stake; the batch's commit no longer
     * waits for a disk flush, so read models follow sooner and PostgreSQL flushes many commits at once.
     */
    private void asynchronousCommit() {
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isActualTransactionActive()) {
            jdbc.getObject().getJdbcOperations().execute("SET LOCAL synchronous_commit TO off");
        }
    }

    private record Batch(BatchedWrites.Run run, List<String> events) {

        Batch(BatchedWrites.Run run) {
            this(run, new ArrayList<>());
        }
    }

    /** Sends a batch's queued writes; when that fails, every event of the batch is remembered as failed. */
    private void send(Batch batch) {
        if (!batch.run().isOpen()) {
            return;
        }
        try {
            batch.run().flush();
        } catch (RuntimeException | Error e) {
            batch.events().forEach(isolated::rememberFailure);
            throw e;
        } finally {
            batch.run().close();
        }
    }

    private Set<String> batchable() {
        Set<String> groups = batchable;
        if (groups == null) {
            groups = scan();
            batchable = groups;
            log.info("projections writing in batches: {}", new java.util.TreeSet<>(groups));
        }
        return groups;
    }

    private Set<String> scan() {
        Set<String> batched = new HashSet<>();
        Set<String> notBatched = new HashSet<>();
        for (Map.Entry<String, Object> bean : context.getBeansWithAnnotation(ProcessingGroup.class).entrySet()) {
            Class<?> type = AopUtils.getTargetClass(bean.getValue());
            ProcessingGroup group = AnnotationUtils.findAnnotation(type, ProcessingGroup.class);
            if (group == null) {
                continue;
            }
            (AnnotationUtils.findAnnotation(type, BatchableHandlers.class) != null ? batched : notBatched)
                    .add(group.value());
        }
        batched.removeAll(notBatched);
        return Set.copyOf(batched);
    }
}
