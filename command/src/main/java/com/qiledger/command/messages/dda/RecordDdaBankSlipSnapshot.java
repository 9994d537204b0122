package com.qiledger.command.messages.dda;

import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.LedgerCommand;
import java.time.Instant;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record what one DDA webhook says about a slip. {@code webhookType} is the provider's
 * {@code webhook_type}; {@code recordedAt} comes from the caller (the receipt's time) so that
 * handling stays deterministic. There is no provider time: these webhooks carry none.
 */
public record RecordDdaBankSlipSnapshot(
        String slipKey,
        String webhookType,
        Instant recordedAt,
        DdaBankSlipSnapshot snapshot) implements LedgerCommand {

    public static final String AGGREGATE_TYPE = "DdaBankSlip";
    public static final String REGISTRATION = "baas.dda.bankslip.registration";
    public static final String UPDATE = "baas.dda.bankslip.update";

    public RecordDdaBankSlipSnapshot {
        Objects.requireNonNull(slipKey, "slipKey");
        Objects.requireNonNull(webhookType, "webhookType");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(snapshot, "snapshot");
    }

    public boolean isRegistration() {
        return REGISTRATION.equals(webhookType);
    }

    @Override
    @TargetAggregateIdentifier
    public String aggregateId() {
        return AggregateIds.of(AGGREGATE_TYPE, slipKey);
    }
}
