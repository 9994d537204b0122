package com.qiledger.command.messages.debt;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.axonframework.serialization.Revision;

/**
 * An operator asked for a new disbursement date ({@code POST /debt/{key}/change_disbursement_date}).
 * {@code requestBody} is the exact text every attempt sends. Holds names and document numbers:
 * {@link #toString()} leaves the body out.
 */
@Revision("1")
public record DisbursementDateChangeRequested(
        String debtKey,
        String requestId,
        String idempotencyKey,
        String requestedBy,
        Instant occurredAt,
        Instant recordedAt,
        LocalDate disbursementDate,
        List<DisbursementBankAccount> bankAccounts,
        String requestBody) implements PartnerCallRequested {

    public DisbursementDateChangeRequested {
        bankAccounts = bankAccounts == null ? List.of() : List.copyOf(bankAccounts);
    }

    @Override
    public PartnerCallKind kind() {
        return PartnerCallKind.CHANGE_DISBURSEMENT_DATE;
    }

    @Override
    public String toString() {
        return "DisbursementDateChangeRequested[debtKey=" + debtKey + ", requestId=" + requestId
                + ", disbursementDate=" + disbursementDate + ", bankAccounts=" + bankAccounts + "]";
    }
}
