package com.qiledger.api.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The right edge of an RFC 6962 Merkle tree that only grows at its end (version 2 digests,
 * docs/audit.md): for a tree of n leaves, the roots of its perfect subtrees, one per set bit of n,
 * largest first. That is all it takes to add leaves and to compute the root of the tree as it grows
 * ({@link MerkleTree#root} over all leaves gives the same root), so a digest costs what was written
 * since the one before it, not the whole ledger. Kept with each digest as the concatenated hashes
 * ({@link #encoded()}).
 */
public final class MerkleFrontier {

    private final List<byte[]> subtrees;
    private long size;

    private MerkleFrontier(List<byte[]> subtrees, long size) {
        this.subtrees = subtrees;
        this.size = size;
    }

    public static MerkleFrontier empty() {
        return new MerkleFrontier(new ArrayList<>(), 0);
    }

    /** The frontier of a tree of {@code size} leaves, as {@link #encoded()} gave it. */
    public static MerkleFrontier decode(long size, byte[] encoded) {
        int count = Long.bitCount(size);
        if (size < 0 || encoded == null || encoded.length != 32 * count) {
            throw new IllegalArgumentException("a frontier of a tree of " + size + " leaves has " + count
                    + " hashes, not " + (encoded == null ? 0 : encoded.length) + " bytes");
        }
        List<byte[]> subtrees = new ArrayList<>(count + 1);
        for (int i = 0; i < count; i++) {
            subtrees.add(Arrays.copyOfRange(encoded, 32 * i, 32 * i + 32));
        }
        return new MerkleFrontier(subtrees, size);
    }

    /** Adds a leaf hash at the end: as a binary counter, each full pair of equal subtrees becomes one. */
    public MerkleFrontier append(byte[] leafHash) {
        subtrees.add(leafHash);
        for (long s = size; (s & 1) == 1; s >>= 1) {
            byte[] right = subtrees.remove(subtrees.size() - 1);
            byte[] left = subtrees.remove(subtrees.size() - 1);
            subtrees.add(MerkleTree.nodeHash(left, right));
        }
        size++;
        return this;
    }

    public MerkleFrontier appendAll(List<byte[]> leafHashes) {
        leafHashes.forEach(this::append);
        return this;
    }

    public long size() {
        return size;
    }

    /** The root of the tree so far: RFC 6962 splits at the largest power of two, so it folds from the right. */
    public byte[] root() {
        if (subtrees.isEmpty()) {
            return MerkleTree.root(List.of());
        }
        byte[] root = subtrees.get(subtrees.size() - 1);
        for (int i = subtrees.size() - 2; i >= 0; i--) {
            root = MerkleTree.nodeHash(subtrees.get(i), root);
        }
        return root;
    }

    public byte[] encoded() {
        byte[] out = new byte[32 * subtrees.size()];
        for (int i = 0; i < subtrees.size(); i++) {
            System.arraycopy(subtrees.get(i), 0, out, 32 * i, 32);
        }
        return out;
    }
}
