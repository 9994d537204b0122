package com.qiledger.api.audit;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Merkle tree of RFC 6962 (section 2.1) over SHA-256: a leaf is {@code SHA-256(0x00 || data)}, a
 * node {@code SHA-256(0x01 || left || right)}, the root of no leaves {@code SHA-256()}, and a tree of n
 * leaves splits at the largest power of two below n. Inclusion proofs are the audit paths of RFC 6962,
 * checked as RFC 9162 section 2.1.3.2 says: a place outside the tree, a path one hash too short or too
 * long, or a changed hash never reaches the root (the forged-proof class of GO-2022-1117).
 */
public final class MerkleTree {

    private MerkleTree() {
    }

    public static byte[] leafHash(byte[] data) {
        MessageDigest sha = ChainEncoding.sha256();
        sha.update((byte) 0);
        sha.update(data);
        return sha.digest();
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = ChainEncoding.sha256();
        sha.update((byte) 1);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /** The root over leaf hashes, in their order. */
    public static byte[] root(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) {
            return ChainEncoding.sha256().digest();
        }
        return subtree(leafHashes, 0, leafHashes.size());
    }

    private static byte[] subtree(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return leaves.get(from);
        }
        int k = split(n);
        return nodeHash(subtree(leaves, from, from + k), subtree(leaves, from + k, to));
    }

    /** The largest power of two smaller than n (n > 1). */
    private static int split(int n) {
        return Integer.highestOneBit(n - 1);
    }

    /** The audit path of leaf {@code index}: the sibling hashes from the leaf up to the root. */
    public static List<byte[]> path(List<byte[]> leafHashes, int index) {
        if (index < 0 || index >= leafHashes.size()) {
            throw new IllegalArgumentException("leaf " + index + " is outside a tree of " + leafHashes.size());
        }
        List<byte[]> path = new ArrayList<>();
        collect(leafHashes, 0, leafHashes.size(), index, path);
        return path;
    }

    private static void collect(List<byte[]> leaves, int from, int to, int index, List<byte[]> path) {
        int n = to - from;
        if (n == 1) {
            return;
        }
        int k = split(n);
        if (index - from < k) {
            collect(leaves, from, from + k, index, path);
            path.add(subtree(leaves, from + k, to));
        } else {
            collect(leaves, from + k, to, index, path);
            path.add(subtree(leaves, from, from + k));
        }
    }

    /**
     * The root that a leaf hash at {@code index} of a tree of {@code size} leaves reaches through
     * {@code path}, or empty when the path cannot belong there (place outside the tree, wrong length).
     */
    public static Optional<byte[]> rootFromPath(byte[] leafHash, long index, long size, List<byte[]> path) {
        if (index < 0 || size <= 0 || index >= size || leafHash == null || leafHash.length != 32) {
            return Optional.empty();
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (p == null || p.length != 32 || sn == 0) {
                return Optional.empty();
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? Optional.of(r) : Optional.empty();
    }

    /** True when the path proves the leaf at that place under that root. */
    public static boolean proves(byte[] leafHash, long index, long size, List<byte[]> path, byte[] root) {
        return rootFromPath(leafHash, index, size, path).map(r -> Arrays.equals(r, root)).orElse(false);
    }
}
