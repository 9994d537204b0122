package com.qiledger.command.messages.bankslip;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The provider reported the slip as {@code registered}. {@code occurredAt} is the provider's event time,
 * {@code recordedAt} the ledger's; {@code statusAfter} is the slip's lifecycle status once this fact is known.
 */
@Revision("1")
public record BankSlipRegistered(
        String bankSlipKey,
        Instant occurredAt,
        Instant recordedAt,
        BankSlipFacts facts,
        BankSlipStatus statusAfter) implements BankSlipEvent {

    @Override
    public BankSlipStatus reportedStatus() {
        return BankSlipStatus.REGISTERED;
    }
}
