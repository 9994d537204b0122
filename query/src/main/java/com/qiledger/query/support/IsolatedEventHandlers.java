package com.qiledger.query.support;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps one event a projection cannot write from stalling its processing group (issue 26).
 *
 * <p>A tracking processor handles a batch of events in one database transaction. When a handler's
 * statement fails in PostgreSQL (a value the column refuses, say), the whole transaction is
 * aborted: Axon's dead-letter queue then cannot park the event in that transaction, the batch rolls
 * back, and the processor retries the same event forever while every later event waits. So a failed
 * event is remembered, and when the processor retries the batch that event's handler runs inside a
 * savepoint: its failure is rolled back to the savepoint, the dead-letter queue parks it (with the
 * rest of its aggregate's events behind it, so nothing is reordered) in a transaction that is still
 * healthy, and the group goes on. Events never seen to fail cost nothing extra: no savepoint on
 * the path every healthy event takes.
 *
 * <p>Only event handlers of processing groups (the projections) are wrapped; aggregates' event
 * sourcing handlers are not.
 */
@Component
public class IsolatedEventHandlers implements HandlerEnhancerDefinition {

    /** How many failed events are remembered; far more than any batch can hold. */
    private static final int REMEMBERED = 10_000;

    private final ObjectProvider<PlatformTransactionManager> transactionManager;
    /**
     * Events seen to fail. Read for every event a projection handles, so lock-free; failures are rare,
     * so the set is simply emptied if it ever grows past {@link #REMEMBERED} (an event forgotten that
     * way fails once more before it is isolated again).
     */
    private final Set<String> failed = ConcurrentHashMap.newKeySet();
    private volatile TransactionTemplate savepoint;

    public IsolatedEventHandlers(ObjectProvider<PlatformTransactionManager> transactionManager) {
        this.transactionManager = transactionManager;
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        boolean projection = original.canHandleMessageType(EventMessage.class)
                && original.unwrap(Method.class)
                        .map(m -> AnnotationUtils.findAnnotation(m.getDeclaringClass(), ProcessingGroup.class) != null)
                        .orElse(false);
        return projection ? new Isolated<>(original) : original;
    }

    /**
     * Remembers that an event failed although no handler threw for it: its write failed later, sent
     * with its batch's ({@link BatchedProjectionWrites}); when the batch is retried, its handlers run
     * at once and inside a savepoint.
     */
    public void rememberFailure(String eventIdentifier) {
        if (failed.size() >= REMEMBERED) {
            failed.clear();
        }
        failed.add(eventIdentifier);
    }

    /** Whether an event has been seen to fail in some handler (tests and diagnostics). */
    public boolean remembersFailureOf(String eventIdentifier) {
        return failed.contains(eventIdentifier);
    }

    private TransactionTemplate savepoint() {
        TransactionTemplate template = savepoint;
        if (template == null) {
            template = new TransactionTemplate(transactionManager.getObject());
            template.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
            savepoint = template;
        }
        return template;
    }

    private final class Isolated<T> extends WrappedMessageHandlingMember<T> {

        Isolated(MessageHandlingMember<T> delegate) {
            super(delegate);
        }

        @Override
        public Object handle(Message<?> message, T target) throws Exception {
            boolean inTransaction = TransactionSynchronizationManager.isActualTransactionActive();
            if (!inTransaction || !failed.contains(message.getIdentifier())) {
                try {
                    return super.handle(message, target);
                } catch (Exception | Error e) {
                    if (failed.size() >= REMEMBERED) {
                        failed.clear();
                    }
                    failed.add(message.getIdentifier());
                    throw e;
                }
            }
            try {
                return savepoint().execute(status -> {
                    try {
                        return super.handle(message, target);
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new Checked(e);
                    }
                });
            } catch (Checked wrapped) {
                throw wrapped.checked;
            }
        }
    }

    /** Carries a handler's checked exception through the savepoint's callback, unchanged. */
    private static final class Checked extends RuntimeException {

        private final Exception checked;

        Checked(Exception checked) {
            super(checked);
            this.checked = checked;
        }
    }
}
