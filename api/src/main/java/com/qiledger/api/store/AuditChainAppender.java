package com.qiledger.api.store;

import com.qiledger.api.audit.ChainEncoding;
import com.qiledger.api.audit.ChainEncoding.EventFields;
import com.qiledger.api.platform.BatchedReceipts;
import com.qiledger.command.messages.common.LedgerMetaData;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventUtils;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

/**
 * Writes the hash-chain links of appended events (issue 21), in the transaction that appends them: one
 * query for what the links need from before (the previous link of every aggregate that already has
 * events, and the SHA-256 of every receipt the events name that the batch did not declare), then one
 * multi-row insert for every link
 * of the append. Each aggregate's chain grows on its own; nothing is locked but the rows written, and a
 * second writer of the same sequence meets the chain's primary key as it meets the event store's.
 * The fields are the bytes the event store has just written: Axon's messages keep their serialized
 * payload and metadata, so they are not serialized twice.
 */
final class AuditChainAppender {


    /*
     * A correlated subquery, not a join: each row of the arrays is one probe of a primary key, whatever
     * the planner guesses of an array's length, so the read costs what the batch holds, never a scan of
     * the chain. The insert takes the global positions the append returned.
     */
    private static final String PREVIOUS = """
            SELECT 'H' AS kind, w.aggregate_id AS id,
                (SELECT c.hash FROM audit_chain c WHERE c.aggregate_id = w.aggregate_id AND c.seq = w.seq) AS digest
            FROM unnest(CAST(? AS VARCHAR[]), CAST(? AS BIGINT[])) AS w(aggregate_id, seq)
            UNION ALL
            SELECT 'R', CAST(r.receipt_id AS TEXT), r.body_sha256 FROM receipt r
            WHERE r.receipt_id = ANY(CAST(? AS UUID[]))
            """;

    private static final String INSERT = """
            INSERT INTO audit_chain (aggregate_id, seq, global_index, event_id, receipt_id, receipt_sha256,
                payload_sha256, hash)
            SELECT * FROM unnest(CAST(? AS VARCHAR[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS VARCHAR[]),
                    CAST(? AS TEXT[]), CAST(? AS BYTEA[]), CAST(? AS BYTEA[]), CAST(? AS BYTEA[]))
            """;

    /**
     * The links of the events just appended, at the global positions the append returned ({@code
     * positions}, by event identifier). A receipt's body SHA-256 is read from the batch's declared
     * receipts when it is one of them (its row is written after its events), from the receipt table
     * otherwise.
     */
    void append(Connection connection, List<? extends EventMessage<?>> events, Map<String, Long> positions,
                Optional<BatchedReceipts> batch, Serializer serializer) throws SQLException {
        int n = events.size();
        List<DomainEventMessage<?>> domain = new ArrayList<>(n);
        Map<String, Long> firstSeq = new HashMap<>();
        Set<String> receiptIds = new LinkedHashSet<>();
        Map<String, byte[]> receipts = new HashMap<>();
        for (EventMessage<?> event : events) {
            DomainEventMessage<?> d = EventUtils.asDomainEventMessage(event);
            domain.add(d);
            firstSeq.merge(d.getAggregateIdentifier(), d.getSequenceNumber(), Math::min);
            String receipt = receiptOf(d);
            byte[] declared = receipt == null ? null : batch.map(b -> b.bodySha256(receipt)).orElse(null);
            if (declared != null) {
                receipts.put(receipt, declared);
            } else if (receipt != null && isUuid(receipt)) {
                receiptIds.add(receipt);
            }
        }
        Map<String, byte[]> previous = new HashMap<>();
        List<String> wantedIds = new ArrayList<>();
        List<Long> wantedSeqs = new ArrayList<>();
        firstSeq.forEach((aggregate, seq) -> {
            if (seq == 0) {
                previous.put(aggregate, ChainEncoding.GENESIS);
            } else {
                wantedIds.add(aggregate);
                wantedSeqs.add(seq - 1);
            }
        });
        if (!wantedIds.isEmpty() || !receiptIds.isEmpty()) {
            try (PreparedStatement read = connection.prepareStatement(PREVIOUS)) {
                read.setArray(1, connection.createArrayOf("varchar", wantedIds.toArray()));
                read.setArray(2, connection.createArrayOf("bigint", wantedSeqs.toArray()));
                read.setArray(3, connection.createArrayOf("uuid", receiptIds.toArray()));
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        byte[] digest = rs.getBytes(3);
                        if (digest != null) {
                            ("H".equals(rs.getString(1)) ? previous : receipts).put(rs.getString(2), digest);
                        }
                    }
                }
            }
        }
        MessageDigest sha = ChainEncoding.sha256();
        String[] aggregates = new String[n];
        Long[] seqs = new Long[n];
        Long[] globalIndexes = new Long[n];
        String[] eventIds = new String[n];
        String[] receiptCol = new String[n];
        byte[][] receiptShas = new byte[n][];
        byte[][] payloadShas = new byte[n][];
        byte[][] hashes = new byte[n][];
        for (int i = 0; i < n; i++) {
            DomainEventMessage<?> d = domain.get(i);
            String aggregate = d.getAggregateIdentifier();
            byte[] before = previous.get(aggregate);
            if (before == null) {
                throw new EventStoreException("no chain link for " + aggregate + " at sequence "
                        + (d.getSequenceNumber() - 1) + ": its chain is broken, run the verifier");
            }
            SerializedObject<byte[]> payload = d.serializePayload(serializer, byte[].class);
            SerializedObject<byte[]> metadata = d.serializeMetaData(serializer, byte[].class);
            String receipt = receiptOf(d);
            byte[] receiptSha = receipt == null ? null : receipts.get(receipt);
            byte[] payloadSha = ChainEncoding.sha256(sha, payload.getData());
            EventFields fields = new EventFields(d.getType(), aggregate, d.getSequenceNumber(), d.getIdentifier(),
                    payload.getType().getName(), payload.getType().getRevision(),
                    DateTimeUtils.formatInstant(d.getTimestamp()), payloadSha,
                    ChainEncoding.sha256(sha, metadata.getData()), receipt, receiptSha);
            byte[] link = ChainEncoding.link(sha, before, fields);
            previous.put(aggregate, link);
            aggregates[i] = aggregate;
            seqs[i] = d.getSequenceNumber();
            globalIndexes[i] = positions.get(d.getIdentifier());
            eventIds[i] = d.getIdentifier();
            receiptCol[i] = receipt;
            receiptShas[i] = receiptSha;
            payloadShas[i] = payloadSha;
            hashes[i] = link;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setArray(1, connection.createArrayOf("varchar", aggregates));
            insert.setArray(2, connection.createArrayOf("bigint", seqs));
            insert.setArray(3, connection.createArrayOf("bigint", globalIndexes));
            insert.setArray(4, connection.createArrayOf("varchar", eventIds));
            insert.setArray(5, connection.createArrayOf("text", receiptCol));
            insert.setObject(6, receiptShas);
            insert.setObject(7, payloadShas);
            insert.setObject(8, hashes);
            int written = insert.executeUpdate();
            if (written != n) {
                throw new EventStoreException("wrote " + written + " chain links for " + n + " events");
            }
        }
    }

    static String receiptOf(DomainEventMessage<?> event) {
        Object receipt = event.getMetaData().get(LedgerMetaData.RECEIPT_ID);
        return receipt == null ? null : receipt.toString();
    }

    /** A receipt id as the intake writes it: a UUID in its canonical lower-case form. */
    private static boolean isUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
