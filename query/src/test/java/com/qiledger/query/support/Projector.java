package com.qiledger.query.support;

import com.qiledger.command.messages.bankslip.BankSlipEvent;
import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.command.messages.common.LedgerMetaData;
import com.qiledger.command.messages.conciliation.ConciliationBatchEvent;
import com.qiledger.command.messages.dda.DdaBankSlipEvent;
import com.qiledger.command.messages.debt.DebtEvent;
import com.qiledger.command.messages.installment.InstallmentEvent;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;

/**
 * Folds hand-made events into one projection as a tracking processor hands them over: each a domain
 * event message of its aggregate's stream ({@code BankSlip:<key>}, next sequence number), tracked at
 * the global position the test chooses, with the delivery's receipt in its metadata, dispatched through
 * Axon's annotated-handler adapter, so that the handlers' parameters are resolved as in the service.
 */
public final class Projector {

    private final ReadModelDatabase db;
    private final AnnotationEventHandlerAdapter adapter;
    private final Map<String, Long> sequences = new HashMap<>();

    public Projector(Object projection, ReadModelDatabase db) {
        this.db = db;
        this.adapter = new AnnotationEventHandlerAdapter(projection);
    }

    /** Folds the event at {@code position}, the next event of its stream, from delivery {@code receipt-<position>}. */
    public TrackedEventMessage<?> fold(long position, LedgerEvent event) {
        return fold(position, event, Map.of(LedgerMetaData.RECEIPT_ID, "receipt-" + position));
    }

    public TrackedEventMessage<?> fold(long position, LedgerEvent event, Map<String, ?> metaData) {
        Stream stream = Stream.of(event);
        String aggregateId = AggregateIds.of(stream.type(), stream.key());
        long sequence = sequences.merge(aggregateId, 1L, Long::sum) - 1;
        TrackedEventMessage<?> message = new GenericTrackedDomainEventMessage<>(
                new GlobalSequenceTrackingToken(position),
                new GenericDomainEventMessage<>(stream.type(), aggregateId, sequence, event, metaData));
        handle(message);
        return message;
    }

    /** Hands the projection a message as it is, e.g. one it has handled before (a redelivery, a replay). */
    public void handle(TrackedEventMessage<?> message) {
        if (!adapter.canHandle(message)) {
            throw new AssertionError(adapter.getTargetType().getSimpleName() + " has no handler for "
                    + message.getPayloadType().getSimpleName());
        }
        try {
            adapter.handle(message);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code folds} as a rebuild lane runs its replay: the projection's writes queued per table and
     * sent in JDBC batches when the run ends ({@link BatchedWrites#batched}).
     */
    public void foldBatched(Runnable folds) {
        BatchedWrites.batched(db.named(), folds);
    }

    /**
     * {@link #foldBatched}, answering the text of every statement the run sent (issue 20: which form a
     * batched run's writes take, one array per column or {@code VALUES} lists, decides what they cost).
     */
    public java.util.List<String> foldBatchedStatements(Runnable folds) {
        java.util.List<String> sent = new java.util.ArrayList<>();
        org.springframework.jdbc.core.JdbcOperations plain = db.named().getJdbcOperations();
        org.springframework.jdbc.core.JdbcOperations recording = (org.springframework.jdbc.core.JdbcOperations)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {org.springframework.jdbc.core.JdbcOperations.class}, (proxy, method, args) -> {
                            if (args != null && args.length > 0 && args[0] instanceof String sql) {
                                sent.add(sql);
                            }
                            try {
                                return method.invoke(plain, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
        BatchedWrites.batched(new org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate(recording), folds);
        return sent;
    }

    /** The projection's reset handler, as a rebuild calls it before the replay. */
    public void reset() {
        adapter.prepareReset();
    }

    /** The aggregate type and key of an event's stream, as the command side names them. */
    private record Stream(String type, String key) {

        static Stream of(LedgerEvent event) {
            if (event instanceof BankSlipEvent e) {
                return new Stream("BankSlip", e.bankSlipKey());
            }
            if (event instanceof DdaBankSlipEvent e) {
                return new Stream("DdaBankSlip", e.slipKey());
            }
            if (event instanceof InstallmentEvent e) {
                return new Stream(InstallmentEvent.AGGREGATE_TYPE, e.installmentKey());
            }
            if (event instanceof ConciliationBatchEvent e) {
                return new Stream("ConciliationBatch", e.batchKey());
            }
            if (event instanceof DebtEvent e) {
                return new Stream("Debt", e.debtKey());
            }
            if (event instanceof com.qiledger.command.messages.debt.PartnerCallEvent e) {
                return new Stream("Debt", e.debtKey());
            }
            throw new IllegalArgumentException("no stream for " + event.getClass());
        }
    }
}
