package com.qiledger.command.messages.installment;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The provider issued (or re-issued) how the installment is to be paid, in an {@code update}
 * webhook. The webhook carries no time: {@code occurredAt} is always null. {@code current} says
 * whether this billing became the installment's current one (see {@code Installment}).
 */
@Revision("1")
public record InstallmentBillingIssued(
        String installmentKey,
        String debtKey,
        Instant recordedAt,
        InstallmentBilling billing,
        boolean current) implements InstallmentEvent {

    /** Billing updates carry no provider time. */
    @Override
    public Instant occurredAt() {
        return null;
    }
}
