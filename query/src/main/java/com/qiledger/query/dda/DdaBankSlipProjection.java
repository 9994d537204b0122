package com.qiledger.query.dda;

import static com.qiledger.query.support.Sql.instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.qiledger.command.messages.dda.DdaBankSlipEvent;
import com.qiledger.command.messages.dda.DdaBankSlipSnapshot;
import com.qiledger.command.messages.dda.DdaDataQualityFlag;
import com.qiledger.query.support.BatchableHandlers;
import com.qiledger.query.support.BatchedWrites;
import com.qiledger.query.support.GuardedUpsert;
import com.qiledger.query.support.Positions;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The DDA bank-slip read model. Which snapshot is current, the status and the sum of partial payments
 * are the aggregate's decisions, stated on every event ({@code snapshotCurrent}, {@code statusAfter},
 * {@code partiallyPaidAmountAfter}); this projection only folds them. Every snapshot gets a row of its
 * own (idempotent by fingerprint), from which the partial payments are listed in recording order; the
 * view row is written only by an event past its position, so a replay changes nothing.
 */
@Component
@BatchableHandlers
@ProcessingGroup(DdaBankSlipProjection.PROCESSING_GROUP)
public class DdaBankSlipProjection {

    public static final String PROCESSING_GROUP = "dda-bank-slips";

    private static final GuardedUpsert UPSERT = GuardedUpsert.into("dda_bank_slip_view", "slip_key")
            .columns("""
                    slip_key, status, barcode, digitable_line, total_payment_amount, partially_paid_amount,
                    data_quality_flags, snapshot_fingerprint, snapshot_webhook_type, snapshot, first_recorded_at,
                    last_recorded_at, snapshots_recorded
                    """)
            .values("""
                    :key, :status, :barcode, :digitableLine, :paid, :partiallyPaid, string_to_array(:flags, ','),
                    :fingerprint, :type, CAST(:snapshot AS jsonb), :recordedAt, :recordedAt, 1
                    """)
            .set("""
                    status = EXCLUDED.status,
                    partially_paid_amount = EXCLUDED.partially_paid_amount,
                    last_recorded_at = EXCLUDED.last_recorded_at,
                    snapshots_recorded = v.snapshots_recorded + 1
                    """, GuardedUpsert.whenCurrent("barcode", "digitable_line", "total_payment_amount",
                    "data_quality_flags", "snapshot_fingerprint", "snapshot_webhook_type", "snapshot"));

    /** The stored form of a snapshot inside this read model: field names as in the record, exact decimals. */
    private static final ObjectMapper SNAPSHOT_JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final JdbcClient jdbc;

    public DdaBankSlipProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(DdaBankSlipEvent event, EventMessage<?> message, TrackingToken token) {
        long position = Positions.of(message, token, jdbc);
        DdaBankSlipSnapshot s = event.snapshot();
        String flags = event.dataQualityFlags().stream().map(DdaDataQualityFlag::label)
                .collect(Collectors.joining(","));
        Timestamp recordedAt = Timestamp.from(event.recordedAt());
        BatchedWrites.sql(jdbc, """
                        INSERT INTO dda_bank_slip_snapshot (slip_key, fingerprint, webhook_type, status,
                            total_payment_amount, data_quality_flags, recorded_at, position)
                        VALUES (:key, :fingerprint, :type, :status, :paid, string_to_array(:flags, ','), :recordedAt,
                            :position)
                        ON CONFLICT DO NOTHING
                        """)
                .param("key", event.slipKey())
                .param("fingerprint", event.fingerprint())
                .param("type", event.webhookType())
                .param("status", s.status().providerName())
                .param("paid", s.totalPaymentAmount())
                .param("flags", flags)
                .param("recordedAt", recordedAt)
                .param("position", position)
                .update();
        UPSERT.write(jdbc, position)
                .param("key", event.slipKey())
                .param("status", event.statusAfter().providerName())
                .param("barcode", s.barcode())
                .param("digitableLine", s.digitableLine())
                .param("paid", s.totalPaymentAmount())
                .param("partiallyPaid", event.partiallyPaidAmountAfter())
                .param("flags", flags)
                .param("fingerprint", event.fingerprint())
                .param("type", event.webhookType())
                .param("snapshot", json(s))
                .param("recordedAt", recordedAt)
                .param("current", event.snapshotCurrent())
                .update();
    }

    @ResetHandler
    void reset() {
        jdbc.sql("TRUNCATE dda_bank_slip_view, dda_bank_slip_snapshot").update();
    }

    @QueryHandler
    public Optional<DdaBankSlipView> handle(FindDdaBankSlip query) {
        return jdbc.sql("SELECT *, snapshot::text AS snapshot_json FROM dda_bank_slip_view WHERE slip_key = :key")
                .param("key", query.slipKey())
                .query(this::row)
                .optional();
    }

    private List<DdaPartialPaymentView> partialPayments(String key) {
        return jdbc.sql("""
                        SELECT fingerprint, total_payment_amount, webhook_type, recorded_at, position
                        FROM dda_bank_slip_snapshot
                        WHERE slip_key = :key AND status = 'partially_paid'
                        ORDER BY position
                        """)
                .param("key", key)
                .query((rs, n) -> new DdaPartialPaymentView(
                        rs.getString("fingerprint"),
                        rs.getBigDecimal("total_payment_amount"),
                        rs.getString("webhook_type"),
                        instant(rs.getTimestamp("recorded_at")),
                        rs.getLong("position")))
                .list();
    }

    private DdaBankSlipView row(ResultSet rs, int n) throws SQLException {
        String key = rs.getString("slip_key");
        DdaBankSlipSnapshot s = snapshot(rs.getString("snapshot_json"));
        return new DdaBankSlipView(
                key,
                rs.getString("status"),
                texts(rs.getArray("data_quality_flags")),
                s.barcode(),
                s.digitableLine(),
                s.nominalAmount(),
                s.totalAmount(),
                s.totalPaymentAmount(),
                s.paidFine(),
                s.paidInterest(),
                s.discountAmount(),
                s.partialPaymentAllowed(),
                s.expiration(),
                s.maxPaymentDate(),
                s.beneficiary(),
                s.payer(),
                s.guarantor(),
                s.rebateAmount(),
                s.interest(),
                s.fine(),
                s.discounts(),
                s.calculations(),
                s.calculationModel(),
                rs.getBigDecimal("partially_paid_amount"),
                partialPayments(key),
                rs.getString("snapshot_fingerprint"),
                rs.getString("snapshot_webhook_type"),
                rs.getInt("snapshots_recorded"),
                instant(rs.getTimestamp("first_recorded_at")),
                instant(rs.getTimestamp("last_recorded_at")),
                rs.getLong("position"));
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    static String json(DdaBankSlipSnapshot snapshot) {
        try {
            return SNAPSHOT_JSON.writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a DDA snapshot cannot be written as JSON", e);
        }
    }

    static DdaBankSlipSnapshot snapshot(String json) {
        try {
            return SNAPSHOT_JSON.readValue(json, DdaBankSlipSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored DDA snapshot is unreadable", e);
        }
    }
}
