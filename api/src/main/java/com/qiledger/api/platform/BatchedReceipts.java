package com.qiledger.api.platform;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * The receipts of a batch of deliveries whose rows are written after their events (issue 20),
 * declared on the batch's root unit of work by the intake. The event store reads two things here
 * instead of from the receipt table, where the rows are not yet: each receipt's body SHA-256, which
 * the hash chain's links carry, and it leaves here the global position of the newest event each
 * receipt caused, which the receipt row is then written with. Lives and dies with its unit of work.
 */
public final class BatchedReceipts {

    private static final String KEY = BatchedReceipts.class.getName();

    private final Map<String, byte[]> bodies = new HashMap<>();
    private final Map<String, Long> positions = new HashMap<>();

    private BatchedReceipts() {
    }

    /** Declares an empty set on the current root unit of work and returns it. */
    public static BatchedReceipts declare() {
        BatchedReceipts receipts = new BatchedReceipts();
        CurrentUnitOfWork.get().root().resources().put(KEY, receipts);
        return receipts;
    }

    /** The set declared on the current root unit of work, if any. */
    public static Optional<BatchedReceipts> declared() {
        if (!CurrentUnitOfWork.isStarted()) {
            return Optional.empty();
        }
        return Optional.ofNullable((BatchedReceipts) CurrentUnitOfWork.get().root().resources().get(KEY));
    }

    /** A receipt of the batch, by the id its commands carry, with its body's SHA-256. */
    public void receipt(String receiptId, byte[] bodySha256) {
        bodies.put(receiptId, bodySha256);
    }

    /** The body SHA-256 of a receipt of the batch; null when the receipt is not one of the batch's. */
    public byte[] bodySha256(String receiptId) {
        return bodies.get(receiptId);
    }

    /** The store appended an event of this receipt at this global position. */
    public void appended(String receiptId, long globalIndex) {
        positions.merge(receiptId, globalIndex, Math::max);
    }

    /** The global position of the newest event the receipt caused, null when it caused none. */
    public Long position(String receiptId) {
        return positions.get(receiptId);
    }
}
