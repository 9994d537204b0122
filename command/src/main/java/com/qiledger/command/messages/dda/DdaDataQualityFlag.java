package com.qiledger.command.messages.dda;

/**
 * Something wrong with a snapshot that the ledger records rather than refuses: the slip exists at
 * the provider whatever the shape of its fields, so a flawed snapshot is kept, flagged, and shown.
 */
public enum DdaDataQualityFlag {
    /** No {@code barcode} was sent. */
    BARCODE_MISSING("barcode_missing"),
    /** {@code barcode} is not exactly 44 digits. */
    BARCODE_MALFORMED("barcode_malformed"),
    /** No {@code digitable_line} was sent. */
    DIGITABLE_LINE_MISSING("digitable_line_missing"),
    /** {@code digitable_line} is not exactly 47 digits. */
    DIGITABLE_LINE_MALFORMED("digitable_line_malformed"),
    /** A {@code paid} or {@code partially_paid} snapshot without {@code total_payment_amount}. */
    PAYMENT_AMOUNT_MISSING("payment_amount_missing");

    private final String label;

    DdaDataQualityFlag(String label) {
        this.label = label;
    }

    /** The flag as read models show it, e.g. {@code barcode_malformed}. */
    public String label() {
        return label;
    }
}
