package com.qiledger.query.debt;

import static com.qiledger.query.support.Sql.instant;
import static com.qiledger.query.support.Sql.timestamp;

import com.qiledger.command.messages.debt.Collateral;
import com.qiledger.command.messages.debt.CollateralCheck;
import com.qiledger.command.messages.debt.CollateralEvent;
import com.qiledger.command.messages.debt.DebtCanceled;
import com.qiledger.command.messages.debt.DebtCanceledPermanently;
import com.qiledger.command.messages.debt.DebtEvent;
import com.qiledger.command.messages.debt.DebtFactIgnoredAfterFinalState;
import com.qiledger.command.messages.debt.DisbursementRefusal;
import com.qiledger.command.messages.debt.PrivatePensionReservationFailed;
import com.qiledger.command.messages.debt.TedRefusal;
import com.qiledger.query.support.GuardedUpsert;
import com.qiledger.query.support.Positions;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
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
 * The debt read model. Every decision (status, which collateral is current, which refusal is the
 * latest, what is ignored after the final state) is the aggregate's, stated on its events; this
 * projection only folds them. Idempotent by global position: the debt row moves only forward
 * ({@code position} guard), and the rows of failed reservations and refusals are keyed by the position
 * of the event that wrote them, so a replay writes nothing twice. Nothing here logs: the details hold
 * names and document numbers.
 */
@Component
@ProcessingGroup(DebtProjection.PROCESSING_GROUP)
public class DebtProjection {

    public static final String PROCESSING_GROUP = "debts";

    /** The debt row moved to an event: see {@link #advance}. */
    private static final GuardedUpsert ADVANCE = GuardedUpsert.into("debt_view", "debt_key")
            .columns("""
                    debt_key, status, final_state, canceled_permanently_at, first_recorded_at, last_recorded_at,
                    facts_recorded, ignored_after_final
                    """)
            .values(":key, :status, :final, :finalAt, :recordedAt, :recordedAt, 1, :ignoredCount")
            .set("""
                    status = CASE WHEN :ignored THEN v.status ELSE EXCLUDED.status END,
                    final_state = v.final_state OR EXCLUDED.final_state,
                    canceled_permanently_at = COALESCE(v.canceled_permanently_at, EXCLUDED.canceled_permanently_at),
                    last_recorded_at = EXCLUDED.last_recorded_at,
                    facts_recorded = v.facts_recorded + 1,
                    ignored_after_final = v.ignored_after_final + EXCLUDED.ignored_after_final
                    """);

    private final JdbcClient jdbc;

    public DebtProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(CollateralEvent event, EventMessage<?> message, TrackingToken token) {
        long position = Positions.of(message, token, jdbc);
        if (advance(event, position) && event.collateralCurrent()) {
            jdbc.sql("""
                            UPDATE debt_view SET collateral = CAST(:collateral AS jsonb),
                                collateral_check = CAST(:check AS jsonb), collateral_occurred_at = :at,
                                collateral_position = :position
                            WHERE debt_key = :key
                            """)
                    .param("collateral", DebtJson.write(event.collateral()))
                    .param("check", DebtJson.write(event.check()))
                    .param("at", timestamp(event.occurredAt()))
                    .param("position", position)
                    .param("key", event.debtKey())
                    .update();
        }
    }

    @EventHandler
    void on(PrivatePensionReservationFailed event, EventMessage<?> message, TrackingToken token) {
        long position = Positions.of(message, token, jdbc);
        if (advance(event, position)) {
            jdbc.sql("""
                            INSERT INTO debt_failed_reservation_view (debt_key, position, occurred_at, recorded_at,
                                status, enumerator, description)
                            VALUES (:key, :position, :at, :recordedAt, :status, :enumerator, :description)
                            ON CONFLICT DO NOTHING
                            """)
                    .param("key", event.debtKey())
                    .param("position", position)
                    .param("at", timestamp(event.occurredAt()))
                    .param("recordedAt", timestamp(event.recordedAt()))
                    .param("status", event.failure().status())
                    .param("enumerator", event.failure().enumerator())
                    .param("description", event.failure().description())
                    .update();
        }
    }

    @EventHandler
    void on(DebtCanceled event, EventMessage<?> message, TrackingToken token) {
        long position = Positions.of(message, token, jdbc);
        if (!advance(event, position)) {
            return;
        }
        DisbursementRefusal refusal = event.refusal();
        TedRefusal ted = refusal.tedRefusal();
        jdbc.sql("""
                        INSERT INTO debt_refusal_view (debt_key, position, occurred_at, recorded_at, cancel_reason,
                            reason_enumerator, reason, amount, transaction_key, refusal)
                        VALUES (:key, :position, :at, :recordedAt, :cancelReason, :reasonEnumerator, :reason,
                            :amount, :transactionKey, CAST(:refusal AS jsonb))
                        ON CONFLICT DO NOTHING
                        """)
                .param("key", event.debtKey())
                .param("position", position)
                .param("at", timestamp(event.occurredAt()))
                .param("recordedAt", timestamp(event.recordedAt()))
                .param("cancelReason", refusal.cancelReason())
                .param("reasonEnumerator", ted != null ? ted.reasonEnumerator()
                        : refusal.pixRefusal().reasonEnumerator())
                .param("reason", ted != null ? ted.reason() : refusal.pixRefusal().reason())
                .param("amount", ted == null ? null : ted.amount())
                .param("transactionKey", ted == null ? null : ted.transactionKey())
                .param("refusal", DebtJson.write(refusal))
                .update();
        if (event.latestRefusal()) {
            jdbc.sql("UPDATE debt_view SET latest_refusal_position = :position WHERE debt_key = :key")
                    .param("position", position)
                    .param("key", event.debtKey())
                    .update();
        }
    }

    @EventHandler
    void on(DebtCanceledPermanently event, EventMessage<?> message, TrackingToken token) {
        advance(event, Positions.of(message, token, jdbc));
    }

    @EventHandler
    void on(DebtFactIgnoredAfterFinalState event, EventMessage<?> message, TrackingToken token) {
        advance(event, Positions.of(message, token, jdbc));
    }

    /**
     * Moves the debt row to this event: status (unless the event is an ignored fact, which changes no
     * state), final flag, counters, position. False when the row is already at or past this position,
     * i.e. the event was folded before.
     */
    private boolean advance(DebtEvent event, long position) {
        boolean ignored = event instanceof DebtFactIgnoredAfterFinalState;
        return ADVANCE.now(jdbc, position)
                .param("key", event.debtKey())
                .param("status", event.statusAfter().viewName())
                .param("final", event instanceof DebtCanceledPermanently || ignored)
                .param("finalAt", event instanceof DebtCanceledPermanently ? timestamp(event.occurredAt()) : null)
                .param("recordedAt", timestamp(event.recordedAt()))
                .param("ignoredCount", ignored ? 1 : 0)
                .param("ignored", ignored)
                .update() > 0;
    }

    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE debt_view, debt_failed_reservation_view, debt_refusal_view").update();
    }

    @QueryHandler
    public Optional<DebtView> handle(FindDebt query) {
        return jdbc.sql("SELECT * FROM debt_view WHERE debt_key = :key")
                .param("key", query.debtKey())
                .query((rs, n) -> head(rs))
                .optional()
                .map(this::view);
    }

    /** The debt row, read before its lists so that no two result sets are open at once. */
    private record Head(DebtView view, Long latestRefusalPosition) {
    }

    private static Head head(ResultSet rs) throws SQLException {
        long latest = rs.getLong("latest_refusal_position");
        Long latestRefusalPosition = rs.wasNull() ? null : latest;
        return new Head(new DebtView(
                rs.getString("debt_key"),
                rs.getString("status"),
                rs.getBoolean("final_state"),
                instant(rs.getTimestamp("canceled_permanently_at")),
                collateral(rs),
                List.of(),
                List.of(),
                null,
                instant(rs.getTimestamp("first_recorded_at")),
                instant(rs.getTimestamp("last_recorded_at")),
                rs.getInt("facts_recorded"),
                rs.getInt("ignored_after_final"),
                rs.getLong("position")), latestRefusalPosition);
    }

    private DebtView view(Head head) {
        DebtView v = head.view();
        List<FailedReservationView> failures = jdbc.sql("""
                        SELECT * FROM debt_failed_reservation_view WHERE debt_key = :key ORDER BY occurred_at, position
                        """)
                .param("key", v.debtKey())
                .query((r, n) -> new FailedReservationView(
                        r.getLong("position"),
                        instant(r.getTimestamp("occurred_at")),
                        instant(r.getTimestamp("recorded_at")),
                        r.getString("status"),
                        r.getString("enumerator"),
                        r.getString("description")))
                .list();
        List<RefusalView> refusals = jdbc.sql("""
                        SELECT position, occurred_at, recorded_at, cancel_reason, reason_enumerator, reason,
                               refusal::text AS refusal
                        FROM debt_refusal_view WHERE debt_key = :key ORDER BY occurred_at, position
                        """)
                .param("key", v.debtKey())
                .query((r, n) -> refusal(r))
                .list();
        RefusalView latest = refusals.stream()
                .filter(r -> head.latestRefusalPosition() != null && r.position() == head.latestRefusalPosition())
                .findFirst()
                .orElse(null);
        return new DebtView(v.debtKey(), v.status(), v.finalState(), v.canceledPermanentlyAt(), v.collateral(),
                failures, refusals, latest, v.firstRecordedAt(), v.lastRecordedAt(), v.factsRecorded(),
                v.ignoredAfterFinal(), v.lastPosition());
    }

    private static CollateralView collateral(ResultSet rs) throws SQLException {
        Collateral collateral = DebtJson.read(rs.getString("collateral"), Collateral.class);
        if (collateral == null) {
            return null;
        }
        CollateralCheck check = DebtJson.read(rs.getString("collateral_check"), CollateralCheck.class);
        return new CollateralView(
                collateral.collateralType(),
                collateral.constituted(),
                collateral.totalGrossAmountLock(),
                check.fundsLockTotal(),
                check.flags(),
                collateral.investmentFunds(),
                instant(rs.getTimestamp("collateral_occurred_at")),
                rs.getLong("collateral_position"));
    }

    private static RefusalView refusal(ResultSet r) throws SQLException {
        DisbursementRefusal refusal = DebtJson.read(r.getString("refusal"), DisbursementRefusal.class);
        return new RefusalView(
                r.getLong("position"),
                instant(r.getTimestamp("occurred_at")),
                instant(r.getTimestamp("recorded_at")),
                r.getString("cancel_reason"),
                r.getString("reason_enumerator"),
                r.getString("reason"),
                refusal.tedRefusal(),
                refusal.pixRefusal());
    }
}
