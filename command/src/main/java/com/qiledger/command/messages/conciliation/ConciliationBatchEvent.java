package com.qiledger.command.messages.conciliation;

import com.qiledger.command.messages.common.LedgerEvent;

/**
 * What every conciliation-batch event says: which batch, which webhook type reported it, the
 * figures it reported, and both times.
 */
public interface ConciliationBatchEvent extends LedgerEvent {

    String batchKey();

    /** The provider's {@code webhook_type} that carried these figures. */
    String webhookType();

    BatchFigures figures();

    /**
     * Whether these figures became the batch's current ones when this fact was recorded; the
     * aggregate decides (see {@code ConciliationBatch}), read models only follow.
     */
    boolean figuresCurrent();
}
