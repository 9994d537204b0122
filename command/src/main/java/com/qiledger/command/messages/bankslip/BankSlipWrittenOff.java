package com.qiledger.command.messages.bankslip;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The provider reported the slip as {@code written_off} (no financial settlement), with the decoded
 * write-off reason.
 */
@Revision("1")
public record BankSlipWrittenOff(
        String bankSlipKey,
        Instant occurredAt,
        Instant recordedAt,
        BankSlipFacts facts,
        WriteOffReason writeOffReason,
        BankSlipStatus statusAfter) implements BankSlipEvent {

    @Override
    public BankSlipStatus reportedStatus() {
        return BankSlipStatus.WRITTEN_OFF;
    }
}
