package com.qiledger.query.conciliation;

import static com.qiledger.query.support.Sql.instant;

import com.qiledger.command.messages.conciliation.BatchFigures;
import com.qiledger.command.messages.conciliation.ConciliationBatchEvent;
import com.qiledger.query.support.BatchableHandlers;
import com.qiledger.query.support.GuardedUpsert;
import com.qiledger.query.support.Positions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
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
 * The conciliation-batch read model. Which figures are current is the aggregate's decision, stated
 * on every event ({@code figuresCurrent}); this projection only folds, idempotently by position.
 */
@Component
@BatchableHandlers
@ProcessingGroup(ConciliationBatchProjection.PROCESSING_GROUP)
public class ConciliationBatchProjection {

    public static final String PROCESSING_GROUP = "conciliation-batches";

    private static final GuardedUpsert UPSERT = GuardedUpsert.into("conciliation_batch_view", "batch_key")
            .columns("""
                    batch_key, status, type, account_key, total_amount, conciliated_amount, total_payment_orders,
                    conciliated_payment_orders, reference_date, created_at, figures_as_of, first_recorded_at,
                    last_recorded_at, facts_recorded
                    """)
            .values("""
                    :key, :status, :type, :account, :total, :conciliated, :orders, :conciliatedOrders, :referenceDate,
                    :createdAt, :asOf, :recordedAt, :recordedAt, 1
                    """)
            .set(GuardedUpsert.whenCurrent("status", "type", "account_key", "total_amount", "conciliated_amount",
                    "total_payment_orders", "conciliated_payment_orders", "reference_date", "created_at",
                    "figures_as_of"), """
                    last_recorded_at = EXCLUDED.last_recorded_at,
                    facts_recorded = v.facts_recorded + 1
                    """);

    private final JdbcClient jdbc;

    public ConciliationBatchProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(ConciliationBatchEvent event, EventMessage<?> message, TrackingToken token) {
        BatchFigures f = event.figures();
        UPSERT.write(jdbc, Positions.of(message, token, jdbc))
                .param("key", event.batchKey())
                .param("status", f.status())
                .param("type", f.type())
                .param("account", f.accountKey())
                .param("total", f.totalAmount())
                .param("conciliated", f.conciliatedAmount())
                .param("orders", f.totalPaymentOrders())
                .param("conciliatedOrders", f.conciliatedPaymentOrders())
                .param("referenceDate", f.referenceDate())
                .param("createdAt", f.createdAt() == null ? null : Timestamp.from(f.createdAt()))
                .param("asOf", event.occurredAt() == null ? null : Timestamp.from(event.occurredAt()))
                .param("recordedAt", Timestamp.from(event.recordedAt()))
                .param("current", event.figuresCurrent())
                .update();
    }

    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE conciliation_batch_view").update();
    }

    @QueryHandler
    public Optional<ConciliationBatchView> handle(FindConciliationBatch query) {
        return jdbc.sql("SELECT * FROM conciliation_batch_view WHERE batch_key = :key")
                .param("key", query.batchKey())
                .query(ConciliationBatchProjection::row)
                .optional();
    }

    private static ConciliationBatchView row(ResultSet rs, int n) throws SQLException {
        var total = rs.getBigDecimal("total_amount");
        var conciliated = rs.getBigDecimal("conciliated_amount");
        long orders = rs.getLong("total_payment_orders");
        long conciliatedOrders = rs.getLong("conciliated_payment_orders");
        return new ConciliationBatchView(
                rs.getString("batch_key"),
                rs.getString("status"),
                rs.getString("type"),
                rs.getString("account_key"),
                total,
                conciliated,
                total == null || conciliated == null ? null : total.subtract(conciliated),
                orders,
                conciliatedOrders,
                orders - conciliatedOrders,
                rs.getObject("reference_date", LocalDate.class),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("figures_as_of")),
                instant(rs.getTimestamp("first_recorded_at")),
                instant(rs.getTimestamp("last_recorded_at")),
                rs.getInt("facts_recorded"),
                rs.getLong("position"));
    }
}
