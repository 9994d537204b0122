package com.qiledger.query.debt;

import static com.qiledger.query.support.Sql.instant;
import static com.qiledger.query.support.Sql.timestamp;

import com.qiledger.command.messages.common.LedgerMetaData;
import com.qiledger.command.messages.debt.DisbursementDateChangeRequested;
import com.qiledger.command.messages.debt.PartnerCallAnswered;
import com.qiledger.command.messages.debt.PartnerCallAttemptFailed;
import com.qiledger.command.messages.debt.PartnerCallConfirmed;
import com.qiledger.command.messages.debt.PartnerCallGivenUp;
import com.qiledger.command.messages.debt.PartnerCallRefused;
import com.qiledger.command.messages.debt.PartnerCallRequested;
import com.qiledger.command.messages.debt.PermanentCancellationRequested;
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
 * The partner calls of every debt (issue 22): one row per call with its state as the aggregate states
 * it on each event, and one row per recorded answer. Idempotent by global position: the call's row
 * moves only forward ({@code position} guard) and the answers are keyed by the position that wrote
 * them. The ledger's sender finds the calls to send here ({@code state = 'pending'}). Nothing here
 * logs: the bodies hold names and document numbers.
 */
@Component
@ProcessingGroup(PartnerRequestProjection.PROCESSING_GROUP)
public class PartnerRequestProjection {

    public static final String PROCESSING_GROUP = "partner-requests";
    /** Where the webhook's receipt is in an event's metadata (as the intake puts it). */

    private final JdbcClient jdbc;

    public PartnerRequestProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(PartnerCallRequested event, EventMessage<?> message, TrackingToken token) {
        jdbc.sql("""
                        INSERT INTO partner_request_view (request_id, debt_key, kind, state, idempotency_key,
                            requested_by, requested_at, reason, disbursement_date, request_body, attempts, position)
                        VALUES (:id, :key, :kind, :state, :idempotencyKey, :by, :at, :reason, :date, :body, 0, :position)
                        ON CONFLICT (request_id) DO NOTHING
                        """)
                .param("id", event.requestId())
                .param("key", event.debtKey())
                .param("kind", event.kind().providerName())
                .param("state", event.stateAfter().viewName())
                .param("idempotencyKey", event.idempotencyKey())
                .param("by", event.requestedBy())
                .param("at", timestamp(event.occurredAt()))
                .param("reason", event instanceof PermanentCancellationRequested c ? c.reason() : null)
                .param("date", event instanceof DisbursementDateChangeRequested d ? d.disbursementDate() : null)
                .param("body", event.requestBody())
                .param("position", Positions.of(message, token, jdbc))
                .update();
    }

    @EventHandler
    void on(PartnerCallAnswered event, EventMessage<?> message, TrackingToken token) {
        long position = Positions.of(message, token, jdbc);
        String outcome = event instanceof PartnerCallAttemptFailed ? "failed"
                : event instanceof PartnerCallRefused ? "refused"
                : event instanceof PartnerCallGivenUp ? "gave_up" : "accepted";
        String body = event.responseBody();
        String error = event.error();
        jdbc.sql("""
                        INSERT INTO partner_request_attempt_view (request_id, position, attempt, outcome, status, body,
                            error, answered_at)
                        VALUES (:id, :position, :attempt, :outcome, :status, :body, :error, :at)
                        ON CONFLICT DO NOTHING
                        """)
                .param("id", event.requestId())
                .param("position", position)
                .param("attempt", event.attempt())
                .param("outcome", outcome)
                .param("status", event.status())
                .param("body", body)
                .param("error", error)
                .param("at", timestamp(event.occurredAt()))
                .update();
        jdbc.sql("""
                        UPDATE partner_request_view SET state = :state, attempts = GREATEST(attempts, :attempt),
                            answered_at = :at, answer_status = :status, answer_body = :body, answer_error = :error,
                            position = :position
                        WHERE request_id = :id AND position < :position
                        """)
                .param("state", event.stateAfter().viewName())
                .param("attempt", event.attempt())
                .param("at", timestamp(event.occurredAt()))
                .param("status", event.status())
                .param("body", body)
                .param("error", error)
                .param("position", position)
                .param("id", event.requestId())
                .update();
    }

    @EventHandler
    void on(PartnerCallConfirmed event, EventMessage<?> message, TrackingToken token) {
        Object receipt = message.getMetaData().get(LedgerMetaData.RECEIPT_ID);
        jdbc.sql("""
                        UPDATE partner_request_view SET state = :state, confirmed_at = :at, confirmed_by = :by,
                            confirming_receipt = :receipt, position = :position
                        WHERE request_id = :id AND position < :position
                        """)
                .param("state", event.stateAfter().viewName())
                .param("at", timestamp(event.occurredAt()))
                .param("by", event.confirmedBy().name().toLowerCase(java.util.Locale.ROOT))
                .param("receipt", receipt == null ? null : receipt.toString())
                .param("position", Positions.of(message, token, jdbc))
                .param("id", event.requestId())
                .update();
    }

    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE partner_request_view, partner_request_attempt_view").update();
    }

    @QueryHandler
    public List<PartnerRequestView> handle(FindPartnerRequests query) {
        List<PartnerRequestView> heads = jdbc.sql("""
                        SELECT * FROM partner_request_view WHERE debt_key = :key ORDER BY requested_at, position
                        """)
                .param("key", query.debtKey())
                .query((rs, n) -> head(rs))
                .list();
        return heads.stream().map(this::withAttempts).toList();
    }

    @QueryHandler
    public List<PartnerRequestView> handle(FindRecentPartnerRequests query) {
        List<PartnerRequestView> heads = jdbc.sql("""
                        SELECT * FROM partner_request_view WHERE (CAST(:state AS TEXT) IS NULL OR state = :state)
                        ORDER BY requested_at DESC, position DESC LIMIT :limit
                        """)
                .param("state", query.state())
                .param("limit", query.limit())
                .query((rs, n) -> head(rs))
                .list();
        return heads.stream().map(this::withAttempts).toList();
    }

    @QueryHandler
    public Optional<PartnerRequestView> handle(FindPartnerRequest query) {
        return jdbc.sql("SELECT * FROM partner_request_view WHERE debt_key = :key AND request_id = :id")
                .param("key", query.debtKey())
                .param("id", query.requestId())
                .query((rs, n) -> head(rs))
                .optional()
                .map(this::withAttempts);
    }

    private PartnerRequestView withAttempts(PartnerRequestView v) {
        List<PartnerRequestView.Attempt> attempts = jdbc.sql("""
                        SELECT * FROM partner_request_attempt_view WHERE request_id = :id ORDER BY position
                        """)
                .param("id", v.requestId())
                .query((r, n) -> new PartnerRequestView.Attempt(
                        r.getInt("attempt"),
                        r.getString("outcome"),
                        (Integer) r.getObject("status"),
                        r.getString("body"),
                        r.getString("error"),
                        instant(r.getTimestamp("answered_at")),
                        r.getLong("position")))
                .list();
        return new PartnerRequestView(v.requestId(), v.debtKey(), v.kind(), v.state(), v.idempotencyKey(),
                v.requestedBy(), v.requestedAt(), v.reason(), v.disbursementDate(), v.requestBody(), v.attempts(),
                v.answeredAt(), v.answerStatus(), v.answerBody(), v.answerError(), v.confirmedAt(), v.confirmedBy(),
                v.confirmingReceipt(), attempts, v.lastPosition());
    }

    private static PartnerRequestView head(ResultSet rs) throws SQLException {
        return new PartnerRequestView(
                rs.getString("request_id"),
                rs.getString("debt_key"),
                rs.getString("kind"),
                rs.getString("state"),
                rs.getString("idempotency_key"),
                rs.getString("requested_by"),
                instant(rs.getTimestamp("requested_at")),
                rs.getString("reason"),
                rs.getObject("disbursement_date", java.time.LocalDate.class),
                rs.getString("request_body"),
                rs.getInt("attempts"),
                instant(rs.getTimestamp("answered_at")),
                (Integer) rs.getObject("answer_status"),
                rs.getString("answer_body"),
                rs.getString("answer_error"),
                instant(rs.getTimestamp("confirmed_at")),
                rs.getString("confirmed_by"),
                rs.getString("confirming_receipt"),
                List.of(),
                rs.getLong("position"));
    }
}
