package com.qiledger.query.conciliation;

/** The current state of one conciliation batch; answered with a {@link ConciliationBatchView}, or none. */
public record FindConciliationBatch(String batchKey) {
}
