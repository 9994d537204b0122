package com.qiledger.query.bankslip;

import static com.qiledger.query.support.Sql.instant;

import com.qiledger.command.messages.bankslip.BankSlipEvent;
import com.qiledger.command.messages.bankslip.BankSlipFacts;
import com.qiledger.command.messages.bankslip.SlipPayment;
import com.qiledger.query.support.BatchableHandlers;
import com.qiledger.query.support.GuardedUpsert;
import com.qiledger.query.support.Positions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
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
 * The bank-slip read model. The aggregate decides the lifecycle status and states it on every event
 * ({@code statusAfter}); this projection only folds. Payment and write-off details are taken from
 * the fact that is the slip's current status, so a late payment notice never overwrites a payment.
 * Writes are idempotent: an event at or below the row's position is skipped.
 */
@Component
@BatchableHandlers
@ProcessingGroup(BankSlipProjection.PROCESSING_GROUP)
public class BankSlipProjection {

    public static final String PROCESSING_GROUP = "bank-slips";

    private static final GuardedUpsert UPSERT = GuardedUpsert.into("bank_slip_view", "bank_slip_key")
            .columns("""
                    bank_slip_key, status, our_number, expiration, rebate_amount, paid_amount, discount_amount,
                    paid_interest_amount, payment_bank, payment_bank_ispb, payment_origin_code,
                    payment_origin_description, payment_credit_date, write_off_reason_code,
                    write_off_reason_description, status_occurred_at, first_recorded_at, last_recorded_at,
                    facts_recorded
                    """)
            .values("""
                    :key, :status, :ourNumber, :expiration, :rebate, :paid, :discount, :interest, :bank, :bankIspb,
                    :originCode, :originDescription, :creditDate, :reasonCode, :reasonDescription, :statusAt,
                    :recordedAt, :recordedAt, 1
                    """)
            .set("""
                    status = EXCLUDED.status,
                    our_number = COALESCE(EXCLUDED.our_number, v.our_number),
                    expiration = COALESCE(EXCLUDED.expiration, v.expiration),
                    rebate_amount = COALESCE(EXCLUDED.rebate_amount, v.rebate_amount),
                    last_recorded_at = EXCLUDED.last_recorded_at,
                    facts_recorded = v.facts_recorded + 1
                    """, GuardedUpsert.whenCurrent("paid_amount", "discount_amount", "paid_interest_amount",
                    "payment_bank", "payment_bank_ispb", "payment_origin_code", "payment_origin_description",
                    "payment_credit_date", "write_off_reason_code", "write_off_reason_description",
                    "status_occurred_at"));

    private final JdbcClient jdbc;

    public BankSlipProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(BankSlipEvent event, EventMessage<?> message, TrackingToken token) {
        long position = Positions.of(message, token, jdbc);
        BankSlipFacts facts = event.facts();
        boolean current = event.reportedStatus() == event.statusAfter();
        SlipPayment payment = current ? facts.payment() : null;
        var reason = current ? event.writeOffReason() : null;
        // every nullable value with its SQL type: a batch's column of nulls then still has a type, and the
        // batch goes as one array per column (MultiRowInsert), not as VALUES lists (issue 20)
        UPSERT.write(jdbc, position)
                .param("key", event.bankSlipKey())
                .param("status", event.statusAfter().providerName())
                .param("ourNumber", facts.ourNumber(), Types.VARCHAR)
                .param("expiration", facts.expiration(), Types.DATE)
                .param("rebate", facts.rebateAmount(), Types.NUMERIC)
                .param("paid", payment == null ? null : payment.paidAmount(), Types.NUMERIC)
                .param("discount", payment == null ? null : payment.discountAmount(), Types.NUMERIC)
                .param("interest", payment == null ? null : payment.paidInterestAmount(), Types.NUMERIC)
                .param("bank", payment == null ? null : payment.paymentBank(), Types.VARCHAR)
                .param("bankIspb", payment == null ? null : payment.paymentBankIspb(), Types.VARCHAR)
                .param("originCode", payment == null || payment.paymentOrigin() == null ? null
                        : payment.paymentOrigin().code(), Types.VARCHAR)
                .param("originDescription", payment == null || payment.paymentOrigin() == null ? null
                        : payment.paymentOrigin().description(), Types.VARCHAR)
                .param("creditDate", payment == null ? null : payment.paymentCreditDate(), Types.DATE)
                .param("reasonCode", reason == null ? null : reason.code(), Types.VARCHAR)
                .param("reasonDescription", reason == null ? null : reason.description(), Types.VARCHAR)
                .param("statusAt", current ? Timestamp.from(event.occurredAt()) : null, Types.TIMESTAMP)
                .param("recordedAt", Timestamp.from(event.recordedAt()))
                .param("current", current)
                .update();
    }

    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE bank_slip_view").update();
    }

    @QueryHandler
    public Optional<BankSlipView> handle(FindBankSlip query) {
        return jdbc.sql("SELECT * FROM bank_slip_view WHERE bank_slip_key = :key")
                .param("key", query.bankSlipKey())
                .query(BankSlipProjection::row)
                .optional();
    }

    private static BankSlipView row(ResultSet rs, int n) throws SQLException {
        return new BankSlipView(
                rs.getString("bank_slip_key"),
                rs.getString("status"),
                rs.getString("our_number"),
                rs.getObject("expiration", java.time.LocalDate.class),
                rs.getBigDecimal("rebate_amount"),
                rs.getBigDecimal("paid_amount"),
                rs.getBigDecimal("discount_amount"),
                rs.getBigDecimal("paid_interest_amount"),
                rs.getString("payment_bank"),
                rs.getString("payment_bank_ispb"),
                rs.getString("payment_origin_code"),
                rs.getString("payment_origin_description"),
                rs.getObject("payment_credit_date", java.time.LocalDate.class),
                rs.getString("write_off_reason_code"),
                rs.getString("write_off_reason_description"),
                instant(rs.getTimestamp("status_occurred_at")),
                instant(rs.getTimestamp("first_recorded_at")),
                instant(rs.getTimestamp("last_recorded_at")),
                rs.getInt("facts_recorded"),
                rs.getLong("position"));
    }
}
