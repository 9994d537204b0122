package com.qiledger.command.messages.debt;

import com.qiledger.command.messages.common.AggregateIds;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * An operator asks the provider for a new disbursement date and accounts. {@code requestBody} is the
 * exact text that will be sent (rendered once, at the edge, so that every attempt sends the same bytes);
 * the date and accounts are what the debt's rules check. Answered with a {@link PartnerCallReceipt}.
 */
public record RequestDisbursementDateChange(
        String debtKey,
        String requestId,
        String idempotencyKey,
        String requestedBy,
        Instant requestedAt,
        LocalDate disbursementDate,
        List<DisbursementBankAccount> bankAccounts,
        String requestBody) implements PartnerCallCommand {

    public RequestDisbursementDateChange {
        Objects.requireNonNull(debtKey, "debtKey");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(disbursementDate, "disbursementDate");
        Objects.requireNonNull(requestBody, "requestBody");
        bankAccounts = bankAccounts == null ? List.of() : List.copyOf(bankAccounts);
    }

    @Override
    @TargetAggregateIdentifier
    public String aggregateId() {
        return AggregateIds.of(DebtCommand.AGGREGATE_TYPE, debtKey);
    }

    @Override
    public String toString() {
        return "RequestDisbursementDateChange[debtKey=" + debtKey + ", requestId=" + requestId
                + ", disbursementDate=" + disbursementDate + ", bankAccounts=" + bankAccounts + "]";
    }
}
