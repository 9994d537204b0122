package com.qiledger.api.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The canonical bytes of an event and the link of a per-aggregate hash chain, version 1 (docs/audit.md
 * describes it for an auditor; {@code audit_canonical} in V17 is its twin in SQL):
 * <pre>
 * canonical = "QLC1" || str(aggregate type) || str(aggregate id) || u64(sequence) || str(event id)
 *             || str(payload type) || str(payload revision) || str(recorded time as stored)
 *             || SHA-256(payload) || SHA-256(metadata) (32 zero bytes when none)
 *             || str(receipt id) || SHA-256(receipt body) (32 zero bytes when none)
 * str(s)    = u32 length of the UTF-8 bytes, then the bytes; 0xFFFFFFFF alone for null
 * link_n    = SHA-256(link_{n-1} || canonical_n), link_{-1} = 32 zero bytes
 * </pre>
 * Every field is taken as the event store holds it (payload and metadata are the stored JSON bytes, the
 * time is the stored text), so that the verifier recomputes a link from a row alone.
 */
public final class ChainEncoding {

    public static final int VERSION = 1;
    private static final byte[] MAGIC = {'Q', 'L', 'C', '1'};
    public static final byte[] GENESIS = new byte[32];

    private ChainEncoding() {
    }

    /** The stored fields of one event that its link covers. */
    public record EventFields(String aggregateType, String aggregateId, long sequence, String eventId,
                              String payloadType, String payloadRevision, String recorded, byte[] payloadSha256,
                              byte[] metadataSha256, String receiptId, byte[] receiptSha256) {
    }

    public static byte[] canonical(EventFields e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(MAGIC);
        str(out, e.aggregateType());
        str(out, e.aggregateId());
        u64(out, e.sequence());
        str(out, e.eventId());
        str(out, e.payloadType());
        str(out, e.payloadRevision());
        str(out, e.recorded());
        digest32(out, e.payloadSha256());
        digest32(out, e.metadataSha256());
        str(out, e.receiptId());
        digest32(out, e.receiptSha256());
        return out.toByteArray();
    }

    /** {@code SHA-256(previous || canonical)}. */
    public static byte[] link(byte[] previous, EventFields event) {
        return link(sha256(), previous, event);
    }

    /** The same with a digest the caller reuses (the write path hashes a whole batch with one). */
    public static byte[] link(MessageDigest sha, byte[] previous, EventFields event) {
        sha.reset();
        sha.update(previous);
        sha.update(canonical(event));
        return sha.digest();
    }

    /** SHA-256 of the bytes with a reused digest; null for null. */
    public static byte[] sha256(MessageDigest sha, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        sha.reset();
        return sha.digest(bytes);
    }

    /** SHA-256 of the bytes; null for null (a missing part is encoded as 32 zero bytes). */
    public static byte[] sha256(byte[] bytes) {
        return bytes == null ? null : sha256().digest(bytes);
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    static void str(ByteArrayOutputStream out, String s) {
        if (s == null) {
            u32(out, 0xFFFFFFFF);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        u32(out, bytes.length);
        out.writeBytes(bytes);
    }

    static void u32(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    static void u64(ByteArrayOutputStream out, long v) {
        u32(out, (int) (v >>> 32));
        u32(out, (int) v);
    }

    private static void digest32(ByteArrayOutputStream out, byte[] digest) {
        if (digest == null) {
            out.writeBytes(GENESIS);
            return;
        }
        if (digest.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, not " + digest.length);
        }
        out.writeBytes(digest);
    }

    /** Lower-case hex. */
    public static String hex(byte[] bytes) {
        return bytes == null ? null : java.util.HexFormat.of().formatHex(bytes);
    }

    public static byte[] unhex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }

    static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
