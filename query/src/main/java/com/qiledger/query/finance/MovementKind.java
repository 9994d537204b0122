package com.qiledger.query.finance;

/** The kinds of monetary fact the money-movement ledger records; {@link #label()} is how it shows them. */
public enum MovementKind {
    /** A bank slip reported {@code payment_notice} or {@code notary_office_payment_notice}: paid, not settled. */
    SLIP_PAYMENT_NOTIFIED("slip_payment_notified"),
    /** A bank slip reported {@code paid}: settled, with its {@code paid_amount}. */
    SLIP_SETTLED("slip_settled"),
    /** A DDA snapshot {@code paid} or {@code partially_paid}, with its {@code total_payment_amount}. */
    DDA_PAYMENT("dda_payment"),
    /** A payment of an installment, once per {@code installment_payment_key}. */
    INSTALLMENT_PAYMENT("installment_payment"),
    /** A known payment key reported again with another amount: the difference, so the entries add up. */
    INSTALLMENT_PAYMENT_REVISED("installment_payment_revised"),
    /** A change of a batch's current conciliated amount (only the change, so a resend adds nothing). */
    BATCH_CONCILIATED("batch_conciliated"),
    /** A refused disbursement: the TED amount, or no amount for a Pix refusal. */
    DISBURSEMENT_REFUSED("disbursement_refused"),
    /** A collateral reported for a debt: its {@code total_gross_amount_lock}. */
    COLLATERAL_LOCKED("collateral_locked");

    private final String label;

    MovementKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
