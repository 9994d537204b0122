package com.qiledger.query.history;

/**
 * The events one delivery caused, in global order; answered with a list of {@link ReceiptEvent}
 * (ask with {@code ResponseTypes.multipleInstancesOf(ReceiptEvent.class)}).
 */
public record FindEventsOfReceipt(String receiptId) {
}
