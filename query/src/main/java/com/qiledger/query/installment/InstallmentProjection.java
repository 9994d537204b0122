package com.qiledger.query.installment;

import static com.qiledger.query.support.Sql.instant;
import static com.qiledger.query.support.Sql.timestamp;

import com.qiledger.command.messages.installment.InstallmentBilling;
import com.qiledger.command.messages.installment.InstallmentBillingIssued;
import com.qiledger.command.messages.installment.InstallmentOccurrence;
import com.qiledger.command.messages.installment.InstallmentPayment;
import com.qiledger.command.messages.installment.InstallmentStatusChanged;
import com.qiledger.command.messages.installment.InstallmentStatusReport;
import com.qiledger.query.support.BatchableHandlers;
import com.qiledger.query.support.BatchedWrites;
import com.qiledger.query.support.GuardedUpsert;
import com.qiledger.query.support.Positions;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The installment read model. What is current (status, billing), which payments and occurrences are
 * new and the paid amount are the aggregate's decisions, stated on every event; this projection only
 * folds them. Writes are idempotent by global position: the installment row is only touched by an
 * event above its position, and an event that does not touch it writes nothing else either; child
 * rows are keyed by position (or by payment key, upserted only forward).
 */
@Component
@BatchableHandlers
@ProcessingGroup(InstallmentProjection.PROCESSING_GROUP)
public class InstallmentProjection {

    public static final String PROCESSING_GROUP = "installments";

    /** What every fact of the installment does to its row: the debt it names, the times, the count. */
    private static final String EVERY_FACT = """
            debt_key = LEAST(v.debt_key, EXCLUDED.debt_key),
            debt_key_conflict = v.debt_key_conflict OR v.debt_key <> EXCLUDED.debt_key,
            first_recorded_at = LEAST(v.first_recorded_at, EXCLUDED.first_recorded_at),
            last_recorded_at = GREATEST(v.last_recorded_at, EXCLUDED.last_recorded_at),
            facts_recorded = v.facts_recorded + 1
            """;

    /** A status change: the status fact's columns when it is the current one, the paid amount always. */
    private static final GuardedUpsert STATUS = GuardedUpsert.into("installment_view", "installment_key")
            .columns("""
                    installment_key, debt_key, debt_key_conflict, status, data_status, is_finished, status_as_of,
                    status_due_date, paid_at, paid_amount, first_recorded_at, last_recorded_at, facts_recorded
                    """)
            .values("""
                    :key, :debt, FALSE, :status, :dataStatus, :finished, :asOf, :dueDate, :paidAt, :paidAmount,
                    :recordedAt, :recordedAt, 1
                    """)
            .set(EVERY_FACT, """
                    status = EXCLUDED.status,
                    is_finished = EXCLUDED.is_finished,
                    paid_amount = EXCLUDED.paid_amount
                    """, GuardedUpsert.whenCurrent("data_status", "status_as_of", "status_due_date", "paid_at"));

    /** A billing: its due date when it is the current one. */
    private static final GuardedUpsert BILLING = GuardedUpsert.into("installment_view", "installment_key")
            .columns("""
                    installment_key, debt_key, debt_key_conflict, is_finished, billing_due_date, paid_amount,
                    first_recorded_at, last_recorded_at, facts_recorded
                    """)
            .values("""
                    :key, :debt, FALSE, FALSE, :dueDate, 0, :recordedAt, :recordedAt, 1
                    """)
            .set(EVERY_FACT, GuardedUpsert.whenCurrent("billing_due_date"));

    /** A payment, by its key: a new version of a known key stands in its place. */
    private static final GuardedUpsert PAYMENT = GuardedUpsert
            .into("installment_payment_view", "installment_key, installment_payment_key")
            .columns("installment_key, installment_payment_key, paid_at, paid_amount, paid_method_type")
            .values(":key, :paymentKey, :paidAt, :paidAmount, :method")
            .setAll();

    private final JdbcClient jdbc;

    public InstallmentProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(InstallmentStatusChanged event, EventMessage<?> message, TrackingToken token) {
        long position = Positions.of(message, token, jdbc);
        InstallmentStatusReport r = event.report();
        boolean folded = STATUS.write(jdbc, position)
                .param("key", event.installmentKey())
                .param("debt", event.debtKey())
                .param("status", event.statusAfter().providerName())
                .param("dataStatus", r.dataStatus().providerName())
                .param("finished", event.finishedAfter())
                .param("asOf", timestamp(event.occurredAt()))
                .param("dueDate", r.dueDate())
                .param("paidAt", timestamp(r.paidAt()))
                .param("paidAmount", event.paidAmountAfter())
                .param("recordedAt", timestamp(event.recordedAt()))
                .param("current", event.current())
                .applyGuarded();
        if (!folded) {
            return;
        }
        link(event.debtKey(), event.installmentKey());
        for (InstallmentPayment p : event.newPayments()) {
            PAYMENT.write(jdbc, position)
                    .param("key", event.installmentKey())
                    .param("paymentKey", p.installmentPaymentKey())
                    .param("paidAt", timestamp(p.paidAt()))
                    .param("paidAmount", p.paidAmount())
                    .param("method", p.paidMethodType())
                    .update();
        }
        List<InstallmentOccurrence> occurrences = event.newOccurrences();
        for (int i = 0; i < occurrences.size(); i++) {
            InstallmentOccurrence o = occurrences.get(i);
            BatchedWrites.sql(jdbc, """
                            INSERT INTO installment_occurrence_view (installment_key, position, ordinal, event_type,
                                event_date, amount, created_at, old_status, old_due_date)
                            VALUES (:key, :position, :ordinal, :type, :eventDate, :amount, :createdAt, :oldStatus,
                                :oldDueDate)
                            ON CONFLICT DO NOTHING
                            """)
                    .param("key", event.installmentKey())
                    .param("position", position)
                    .param("ordinal", i)
                    .param("type", o.eventType())
                    .param("eventDate", timestamp(o.eventDate()))
                    .param("amount", o.amount())
                    .param("createdAt", timestamp(o.createdAt()))
                    .param("oldStatus", o.oldStatus())
                    .param("oldDueDate", o.oldDueDate())
                    .update();
        }
    }

    @EventHandler
    void on(InstallmentBillingIssued event, EventMessage<?> message, TrackingToken token) {
        long position = Positions.of(message, token, jdbc);
        InstallmentBilling b = event.billing();
        boolean folded = BILLING.write(jdbc, position)
                .param("key", event.installmentKey())
                .param("debt", event.debtKey())
                .param("dueDate", b.dueDate())
                .param("recordedAt", timestamp(event.recordedAt()))
                .param("current", event.current())
                .applyGuarded();
        if (!folded) {
            return;
        }
        link(event.debtKey(), event.installmentKey());
        if (event.current()) {
            BatchedWrites.sql(jdbc, "UPDATE installment_billing_view SET is_current = FALSE "
                            + "WHERE installment_key = :key AND is_current")
                    .param("key", event.installmentKey())
                    .update();
        }
        BatchedWrites.sql(jdbc, """
                        INSERT INTO installment_billing_view (installment_key, position, is_current, digitable_line,
                            qr_code_key, qr_code_url, principal_amortization_amount, pre_fixed_amount, bank_slip_key,
                            due_date, total_amount, recorded_at)
                        VALUES (:key, :position, :current, :line, :qrKey, :qrUrl, :principal, :preFixed, :slip,
                            :dueDate, :total, :recordedAt)
                        ON CONFLICT DO NOTHING
                        """)
                .param("key", event.installmentKey())
                .param("position", position)
                .param("current", event.current())
                .param("line", b.digitableLine())
                .param("qrKey", b.qrCodeKey())
                .param("qrUrl", b.qrCodeUrl())
                .param("principal", b.principalAmortizationAmount())
                .param("preFixed", b.preFixedAmount())
                .param("slip", b.bankSlipKey())
                .param("dueDate", b.dueDate())
                .param("total", b.totalAmount())
                .param("recordedAt", timestamp(event.recordedAt()))
                .update();
    }

    private void link(String debtKey, String installmentKey) {
        BatchedWrites.sql(jdbc, "INSERT INTO installment_debt_view (debt_key, installment_key) VALUES (:debt, :key) "
                        + "ON CONFLICT DO NOTHING")
                .param("debt", debtKey)
                .param("key", installmentKey)
                .update();
    }

    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE installment_view, installment_debt_view, installment_payment_view, "
                + "installment_occurrence_view, installment_billing_view").update();
    }

    @QueryHandler
    public Optional<InstallmentView> handle(FindInstallment query) {
        return jdbc.sql("SELECT * FROM installment_view WHERE installment_key = :key")
                .param("key", query.installmentKey())
                .query(Row::of)
                .optional()
                .map(this::view);
    }

    @QueryHandler
    public List<InstallmentView> handle(FindInstallmentsOfDebt query) {
        return jdbc.sql("""
                        SELECT v.* FROM installment_view v
                        JOIN installment_debt_view d ON d.installment_key = v.installment_key
                        WHERE d.debt_key = :debt
                        ORDER BY COALESCE(v.status_due_date, v.billing_due_date) NULLS LAST, v.installment_key
                        """)
                .param("debt", query.debtKey())
                .query(Row::of)
                .list()
                .stream()
                .map(this::view)
                .toList();
    }

    private InstallmentView view(Row row) {
        String key = row.installmentKey();
        List<InstallmentPayment> payments = jdbc.sql("""
                        SELECT * FROM installment_payment_view WHERE installment_key = :key
                        ORDER BY paid_at NULLS LAST, installment_payment_key
                        """)
                .param("key", key)
                .query((rs, n) -> new InstallmentPayment(rs.getString("installment_payment_key"),
                        instant(rs.getTimestamp("paid_at")), rs.getBigDecimal("paid_amount"),
                        rs.getString("paid_method_type")))
                .list();
        List<InstallmentOccurrence> events = jdbc.sql("""
                        SELECT * FROM installment_occurrence_view WHERE installment_key = :key
                        ORDER BY event_date NULLS LAST, created_at NULLS LAST, position, ordinal
                        """)
                .param("key", key)
                .query((rs, n) -> new InstallmentOccurrence(rs.getString("event_type"),
                        instant(rs.getTimestamp("event_date")), rs.getBigDecimal("amount"),
                        instant(rs.getTimestamp("created_at")), rs.getString("old_status"),
                        rs.getObject("old_due_date", LocalDate.class)))
                .list();
        List<Billing> billings = jdbc.sql("""
                        SELECT * FROM installment_billing_view WHERE installment_key = :key
                        ORDER BY due_date NULLS FIRST, total_amount NULLS FIRST, digitable_line NULLS FIRST, position
                        """)
                .param("key", key)
                .query((rs, n) -> new Billing(rs.getBoolean("is_current"), new InstallmentBilling(
                        rs.getString("digitable_line"), rs.getString("qr_code_key"), rs.getString("qr_code_url"),
                        rs.getBigDecimal("principal_amortization_amount"), rs.getBigDecimal("pre_fixed_amount"),
                        rs.getString("bank_slip_key"), rs.getObject("due_date", LocalDate.class),
                        rs.getBigDecimal("total_amount"))))
                .list();
        InstallmentBilling current = billings.stream().filter(Billing::current).map(Billing::billing).findFirst()
                .orElse(null);
        return new InstallmentView(
                key,
                row.debtKey(),
                row.debtKeyConflict(),
                row.status(),
                row.dataStatus(),
                row.dataStatus() != null && !Objects.equals(row.status(), row.dataStatus()),
                row.isFinished(),
                instant(row.statusAsOf()),
                row.statusDueDate() != null ? row.statusDueDate() : row.billingDueDate(),
                instant(row.paidAt()),
                row.paidAmount(),
                payments,
                events,
                current,
                billings.stream().map(Billing::billing).toList(),
                instant(row.firstRecordedAt()),
                instant(row.lastRecordedAt()),
                row.factsRecorded(),
                row.position());
    }

    private record Billing(boolean current, InstallmentBilling billing) {
    }

    /** One row of {@code installment_view}, read before its child rows are. */
    private record Row(String installmentKey, String debtKey, boolean debtKeyConflict, String status,
                       String dataStatus, boolean isFinished, Timestamp statusAsOf,
                       LocalDate statusDueDate, LocalDate billingDueDate, Timestamp paidAt,
                       BigDecimal paidAmount, Timestamp firstRecordedAt,
                       Timestamp lastRecordedAt, int factsRecorded, long position) {

        static Row of(ResultSet rs, int n) throws SQLException {
            return new Row(rs.getString("installment_key"), rs.getString("debt_key"),
                    rs.getBoolean("debt_key_conflict"), rs.getString("status"), rs.getString("data_status"),
                    rs.getBoolean("is_finished"), rs.getTimestamp("status_as_of"),
                    rs.getObject("status_due_date", LocalDate.class), rs.getObject("billing_due_date", LocalDate.class),
                    rs.getTimestamp("paid_at"), rs.getBigDecimal("paid_amount"), rs.getTimestamp("first_recorded_at"),
                    rs.getTimestamp("last_recorded_at"), rs.getInt("facts_recorded"), rs.getLong("position"));
        }
    }
}
