package com.qiledger.command.messages.common;

/** Keys of the metadata intake puts on every command, which Axon copies onto the events it causes. */
public final class LedgerMetaData {

    /** The receipt id of the delivery behind a command and its events. */
    public static final String RECEIPT_ID = "receiptId";

    private LedgerMetaData() {
    }
}
