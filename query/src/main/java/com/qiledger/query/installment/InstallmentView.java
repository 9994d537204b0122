package com.qiledger.query.installment;

import com.qiledger.command.messages.installment.InstallmentBilling;
import com.qiledger.command.messages.installment.InstallmentOccurrence;
import com.qiledger.command.messages.installment.InstallmentPayment;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * An installment as the read model holds it.
 *
 * <ul>
 *   <li>{@code status} is the current status (provider names: {@code paid}, ...), from the status
 *       change the aggregate holds current; {@code dataStatus}, {@code statusAsOf} (that fact's
 *       provider time), {@code paidAt} and the status part of {@code dueDate} come from the same fact.
 *       Both null while only billings are known. {@code dataStatusDiffers} flags a webhook whose
 *       {@code data.status} disagreed with its {@code installment_status}.</li>
 *   <li>{@code isFinished}: true once any status change said {@code is_finished}.</li>
 *   <li>{@code dueDate}: the current status change's {@code due_date}, else the current billing's.</li>
 *   <li>{@code paidAmount}: the sum of the payments, each {@code installment_payment_key} once;
 *       {@code payments} one per key, {@code events} the installment's own event list, each once.</li>
 *   <li>{@code billing} is the current billing (latest due date, then greatest total, then digitable
 *       line), {@code billings} every billing issued, by due date.</li>
 *   <li>{@code debtKey} is the debt the installment belongs to; should the provider ever report it
 *       under two debts, {@code debtKeyConflict} is set and {@code debtKey} is the smaller key (the
 *       installment is then listed under both debts).</li>
 * </ul>
 */
public record InstallmentView(
        String installmentKey,
        String debtKey,
        boolean debtKeyConflict,
        String status,
        String dataStatus,
        boolean dataStatusDiffers,
        boolean isFinished,
        Instant statusAsOf,
        LocalDate dueDate,
        Instant paidAt,
        BigDecimal paidAmount,
        List<InstallmentPayment> payments,
        List<InstallmentOccurrence> events,
        InstallmentBilling billing,
        List<InstallmentBilling> billings,
        Instant firstRecordedAt,
        Instant lastRecordedAt,
        int factsRecorded,
        long lastPosition) {
}
