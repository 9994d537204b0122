package com.qiledger.api.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The leaves of a digest's Merkle tree (docs/audit.md): one per chain head, in the order of the stream
 * ids' UTF-8 bytes, then one per receipt, in the order of their ids.
 * <pre>
 * chain leaf   = "A" || str(stream id) || u64(sequence of the head) || link of the head
 * receipt leaf = "R" || str(receipt id) || SHA-256(body) || u64(received at, microseconds since 1970)
 *                || str(content type) || str(webhook type) || str(signature method) || str(signature URI)
 *                || str(AUTHORIZATION) || str(API-CLIENT-KEY)
 * </pre>
 */
public final class DigestLeaves {

    /** Unsigned byte order of UTF-8, which is PostgreSQL's {@code COLLATE "C"} order. */
    public static final Comparator<String> STREAM_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private DigestLeaves() {
    }

    public static byte[] chainLeaf(String aggregateId, long seq, byte[] link) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        out.write('A');
        ChainEncoding.str(out, aggregateId);
        ChainEncoding.u64(out, seq);
        out.writeBytes(link);
        return out.toByteArray();
    }

    /** A receipt's fields that a digest covers. */
    public record ReceiptFields(String receiptId, byte[] bodySha256, Instant receivedAt, String contentType,
                                String webhookType, String signatureMethod, String signatureUri,
                                String signatureAuthorization, String signatureClientKey) {
    }

    public static byte[] receiptLeaf(ReceiptFields r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write('R');
        ChainEncoding.str(out, r.receiptId());
        out.writeBytes(r.bodySha256());
        Instant at = r.receivedAt();
        ChainEncoding.u64(out, Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000));
        ChainEncoding.str(out, r.contentType());
        ChainEncoding.str(out, r.webhookType());
        ChainEncoding.str(out, r.signatureMethod());
        ChainEncoding.str(out, r.signatureUri());
        ChainEncoding.str(out, r.signatureAuthorization());
        ChainEncoding.str(out, r.signatureClientKey());
        return out.toByteArray();
    }
}
