package com.qiledger.command.messages.debt;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * The operation was canceled because its disbursement was refused ({@code debt}, status
 * {@code canceled}). Every refusal is kept: the partner may resubmit the disbursement
 * ({@code change_disbursement_date}) and it may be refused again. {@code latestRefusal} says whether
 * this refusal became the debt's latest one (by provider time, see the {@code Debt} aggregate).
 */
@Revision("1")
public record DebtCanceled(
        String debtKey,
        Instant occurredAt,
        Instant recordedAt,
        DisbursementRefusal refusal,
        boolean latestRefusal,
        DebtStatus statusAfter) implements DebtEvent {
}
