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
 * <p>Every projection's batch, batched or not, has statement and lock timeouts ({@link #boundBatch()}).
 *
 * <p>A processing group is batched only when every handler bean of the group is a
 * {@link BatchableHandlers} projection; any other group runs its writes at once, as before.
 */
@Component
public class BatchedProjectionWrites {

    private static final Logger log = LoggerFactory.getLogger(BatchedProjectionWrites.class);
    private static final String RUN = BatchedProjectionWrites.class.getName() + ".run";
    private static final String BOUNDED = BatchedProjectionWrites.class.getName() + ".bounded";

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
            if (batch.getResource(BOUNDED) == null) {
                boundBatch();
                batch.resources().put(BOUNDED, Boolean.TRUE);
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
     * A projection's batch whose statement hangs (a lock never granted, a stalled server) fails in
     * PostgreSQL after these bounds, and the processor retries it: the bound is the database's, set for
     * the batch's own transaction, never a Java thread interrupted in the middle of a JDBC call (Axon's
     * unit-of-work timeout, turned off with its per-invocation timers, worked that way).
     *
     * <p>The batch still commits synchronously. Tried and reverted: {@code synchronous_commit = off}
     * for projection batches (lag p99 86 ms against 115 to 185 ms in short runs). A read model is
     * derived and its token commits with it, but a tracking processor keeps its position in memory: after
     * a PostgreSQL crash that lost its last asynchronous commits, a processor that saw no error would go
     * on from its remembered position and store it, and the events of the lost commits would be missing
     * from the read model for good.
     *
     * <p>The batch's statements, and the journal's balance check run by a trigger at its commit, use
     * their generic plans: left to PostgreSQL's default, that check was planned again at each of its
     * two runs per event (issue 20, {@code pg_stat_statements}).
     */
    private void boundBatch() {
        if (org.springframework.transaction.support.TransactionSynchronizationManager.isActualTransactionActive()) {
            jdbc.getObject().getJdbcOperations().query("SELECT set_config('statement_timeout', '" + STATEMENT_TIMEOUT
                    + "', true), set_config('lock_timeout', '" + LOCK_TIMEOUT + "', true),"
                    + " set_config('plan_cache_mode', 'force_generic_plan', true)", rs -> null);
        }
    }

    static final String STATEMENT_TIMEOUT = "30s";
    static final String LOCK_TIMEOUT = "10s";

    private record Batch(BatchedWrites.Run run, List<String> events) {

        Batch(BatchedWrites.Run run) {
            this(run, new ArrayList<>());
        }
    }

    /** Sends a batch's queued writes; when that fails, every event of the batch is remembered as failed. */
    private void send(Batch batch) {
        send(batch.run(), batch.events(), isolated::rememberFailure);
    }

    /**
     * Sends a run's queued writes, once; when that fails, each of {@code events} goes to
     * {@code failed} and the failure is thrown as an exception. An {@link AssertionError} becomes an
     * exception too: pgjdbc throws one from {@code executeBatch} when the connection dies in the middle
     * of a batch ("getAutoCommit() should not throw"), and a tracking processor that meets an Error
     * stops for good instead of retrying (found by DatabaseOutageTest: money-movements stopped).
     */
    static void send(BatchedWrites.Run run, List<String> events, java.util.function.Consumer<String> failed) {
        if (!run.isOpen()) {
            return;
        }
        try {
            run.flush();
        } catch (RuntimeException e) {
            events.forEach(failed);
            throw e;
        } catch (AssertionError e) {
            events.forEach(failed);
            throw new IllegalStateException("the JDBC driver failed while sending the batch's writes", e);
        } finally {
            run.close();
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
