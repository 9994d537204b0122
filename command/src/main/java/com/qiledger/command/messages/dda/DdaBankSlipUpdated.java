package com.qiledger.command.messages.dda;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.axonframework.serialization.Revision;

/**
 * The provider reported the slip changed ({@code baas.dda.bankslip.update}, or any other DDA type it
 * may add) with this snapshot. {@code recordedAt} is the ledger's time; there is no provider time.
 */
@Revision("1")
public record DdaBankSlipUpdated(
        String slipKey,
        String webhookType,
        Instant recordedAt,
        DdaBankSlipSnapshot snapshot,
        String fingerprint,
        List<DdaDataQualityFlag> dataQualityFlags,
        DdaBankSlipStatus statusAfter,
        boolean snapshotCurrent,
        BigDecimal partiallyPaidAmountAfter) implements DdaBankSlipEvent {

    public DdaBankSlipUpdated {
        dataQualityFlags = List.copyOf(dataQualityFlags);
    }
}
