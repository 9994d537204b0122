package com.qiledger.api.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The leaves each version 2 digest adds to the ledger's one append-only Merkle tree (docs/audit.md):
 * digest k covers the chain links with a position in (position of k-1, position of k] and the
 * receipts with an {@code audit_seq} in (receipt position of k-1, receipt position of k]. It adds
 * one chain leaf per entity with a link there, for the entity's head as of k (the stream ids' UTF-8
 * byte order), then one receipt leaf per receipt there, in {@code audit_seq} order. The leaves of
 * the digests before it stay where they are, so a digest reads only what was written since the one
 * before it ({@link MerkleFrontier}), and the tree of digest k is a prefix of the tree of every later one.
 *
 * <p>Pure: the same function serves the digest's own making (one delta), the inclusion proof and
 * the offline verifier (every delta, from the rows or from the recomputed chains).
 */
public final class DigestDeltas {

    /** What a digest covers: events up to {@code position}, receipts up to {@code receiptPosition}. */
    public record Bounds(long position, long receiptPosition) {
    }

    /** A chain link at an event's position. */
    public record Link(String stream, long position, long seq, byte[] hash) {
    }

    /** A receipt's leaf hash ({@link DigestLeaves#receiptLeaf}) at its {@code audit_seq}. */
    public record ReceiptLeaf(long auditSeq, byte[] leafHash) {
    }

    /** The leaves one digest adds: chain heads first ({@code streams} and {@code heads} by leaf), then receipts. */
    public record Delta(List<String> streams, List<Long> heads, List<byte[]> hashes, long receipts) {

        public long chains() {
            return streams.size();
        }
    }

    private DigestDeltas() {
    }

    /**
     * The delta of each digest, given their bounds in order (each at or above the one before it) and
     * the links and receipts in any order; links and receipts beyond the last bounds are left out.
     */
    public static List<Delta> deltas(List<Bounds> bounds, Iterable<Link> links, Iterable<ReceiptLeaf> receipts) {
        long[] positions = bounds.stream().mapToLong(Bounds::position).toArray();
        long[] receiptPositions = bounds.stream().mapToLong(Bounds::receiptPosition).toArray();
        List<List<Link>> linksOf = new ArrayList<>();
        List<TreeMap<Long, byte[]>> receiptsOf = new ArrayList<>();
        for (int i = 0; i < bounds.size(); i++) {
            linksOf.add(new ArrayList<>());
            receiptsOf.add(new TreeMap<>());
        }
        for (Link link : links) {
            int k = bucket(positions, link.position());
            if (k >= 0) {
                linksOf.get(k).add(link);
            }
        }
        for (ReceiptLeaf r : receipts) {
            int k = bucket(receiptPositions, r.auditSeq());
            if (k >= 0) {
                receiptsOf.get(k).put(r.auditSeq(), r.leafHash());
            }
        }
        List<Delta> deltas = new ArrayList<>(bounds.size());
        for (int k = 0; k < bounds.size(); k++) {
            deltas.add(delta(linksOf.get(k), receiptsOf.get(k).values()));
        }
        return deltas;
    }

    /** One digest's delta from its links (already within its range) and its receipts in {@code audit_seq} order. */
    public static Delta delta(Iterable<Link> links, Iterable<byte[]> receiptLeafHashes) {
        Map<String, Link> heads = new HashMap<>();
        for (Link link : links) {
            heads.merge(link.stream(), link, (a, b) -> a.seq() >= b.seq() ? a : b);
        }
        record Keyed(byte[] key, Link link) {
        }
        // the UTF-8 bytes of each stream id once, not twice per comparison (DigestLeaves.STREAM_ORDER's order)
        List<Keyed> sorted = new ArrayList<>(heads.size());
        heads.values().forEach(l -> sorted.add(new Keyed(l.stream().getBytes(StandardCharsets.UTF_8), l)));
        sorted.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
        List<String> streams = new ArrayList<>(sorted.size());
        List<Long> seqs = new ArrayList<>(sorted.size());
        List<byte[]> hashes = new ArrayList<>();
        for (Keyed keyed : sorted) {
            Link h = keyed.link();
            streams.add(h.stream());
            seqs.add(h.seq());
            hashes.add(MerkleTree.leafHash(DigestLeaves.chainLeaf(h.stream(), h.seq(), h.hash())));
        }
        long receipts = 0;
        for (byte[] leaf : receiptLeafHashes) {
            hashes.add(leaf);
            receipts++;
        }
        return new Delta(streams, seqs, hashes, receipts);
    }

    /** The first digest whose bound is at or above {@code at} (bounds ascending), or -1 past the last. */
    static int bucket(long[] bounds, long at) {
        int i = Arrays.binarySearch(bounds, at);
        if (i >= 0) {
            while (i > 0 && bounds[i - 1] == at) {
                i--;
            }
            return i;
        }
        int insertion = -i - 1;
        return insertion < bounds.length ? insertion : -1;
    }
}
