package com.qiledger.command.messages.dda;

import com.qiledger.command.messages.common.LedgerEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What every DDA bank-slip event says: which slip, which webhook type carried the snapshot, the
 * snapshot in full with its fingerprint and data-quality flags, and the slip's state once this
 * snapshot is known. The state after ({@code statusAfter}, {@code snapshotCurrent},
 * {@code partiallyPaidAmountAfter}) is the aggregate's decision (see {@code DdaBankSlip}); read
 * models only follow it.
 */
public sealed interface DdaBankSlipEvent extends LedgerEvent permits DdaBankSlipRegistered, DdaBankSlipUpdated {

    String slipKey();

    /** The provider's {@code webhook_type} that carried the snapshot. */
    String webhookType();

    DdaBankSlipSnapshot snapshot();

    /** SHA-256 (hex) of the snapshot's canonical rendering: the snapshot's identity. */
    String fingerprint();

    /** What is wrong with the snapshot's data, in declaration order of the flags; empty when nothing. */
    List<DdaDataQualityFlag> dataQualityFlags();

    /** The slip's status once this snapshot is known. */
    DdaBankSlipStatus statusAfter();

    /** Whether this snapshot became the slip's current one when it was recorded. */
    boolean snapshotCurrent();

    /** Sum of the partial payments ({@code partially_paid} snapshots) known once this one is. */
    BigDecimal partiallyPaidAmountAfter();

    /** DDA webhooks carry no provider time. */
    @Override
    default Instant occurredAt() {
        return null;
    }
}
