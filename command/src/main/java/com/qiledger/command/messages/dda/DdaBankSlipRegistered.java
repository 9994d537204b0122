package com.qiledger.command.messages.dda;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.axonframework.serialization.Revision;

/**
 * The provider announced the slip in the DDA registry ({@code baas.dda.bankslip.registration}) with
 * this snapshot. {@code recordedAt} is the ledger's time; there is no provider time.
 */
@Revision("1")
public record DdaBankSlipRegistered(
        String slipKey,
        Instant recordedAt,
        DdaBankSlipSnapshot snapshot,
        String fingerprint,
        List<DdaDataQualityFlag> dataQualityFlags,
        DdaBankSlipStatus statusAfter,
        boolean snapshotCurrent,
        BigDecimal partiallyPaidAmountAfter) implements DdaBankSlipEvent {

    public DdaBankSlipRegistered {
        dataQualityFlags = List.copyOf(dataQualityFlags);
    }

    @Override
    public String webhookType() {
        return RecordDdaBankSlipSnapshot.REGISTRATION;
    }
}
