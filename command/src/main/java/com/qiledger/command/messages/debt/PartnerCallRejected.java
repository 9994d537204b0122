package com.qiledger.command.messages.debt;

/**
 * The debt's rules refuse to ask the provider for a call: nothing is appended and nothing is sent.
 * {@code reason} says which rule; {@code field} names the request field at fault for
 * {@link Reason#INVALID} (as the operator's JSON spells it).
 */
public class PartnerCallRejected extends RuntimeException {

    public enum Reason {
        /** The debt is canceled permanently: no call changes it any more. */
        FINAL,
        /** A permanent cancellation is already pending or accepted and not yet confirmed. */
        IN_FLIGHT,
        /** The idempotency key names an earlier request that asked for something else. */
        IDEMPOTENCY_KEY_REUSED,
        /** A field of the request breaks a rule (a date in the past, percentages not adding up to 100). */
        INVALID
    }

    private final Reason reason;
    private final String field;

    public PartnerCallRejected(Reason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    public String field() {
        return field;
    }
}
