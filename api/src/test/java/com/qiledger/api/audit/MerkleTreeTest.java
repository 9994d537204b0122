package com.qiledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Merkle tree against RFC 6962's known answers (resources/audit/merkle-vectors.json), the ledger's
 * leaves against theirs, and the proof check against forged proofs: a proof must not prove another
 * place, another leaf, or anything with a path one hash too short or too long (GO-2022-1117's class).
 */
class MerkleTreeTest {

    static JsonNode vectors() throws Exception {
        try (InputStream in = MerkleTreeTest.class.getResourceAsStream("/audit/merkle-vectors.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static List<byte[]> rfcLeaves(JsonNode vectors) {
        List<byte[]> leaves = new ArrayList<>();
        vectors.get("rfc6962_inputs").forEach(i -> leaves.add(MerkleTree.leafHash(ChainEncoding.unhex(i.asText()))));
        return leaves;
    }

    @Test
    void rootsOfTheRfc6962TestTreeAreThePublishedOnes() throws Exception {
        JsonNode vectors = vectors();
        List<byte[]> leaves = rfcLeaves(vectors);
        for (int n = 0; n <= 8; n++) {
            assertThat(ChainEncoding.hex(MerkleTree.root(leaves.subList(0, n)))).as("root of %d leaves", n)
                    .isEqualTo(vectors.get("rfc6962_roots").get(n).asText());
        }
        // as published with certificate-transparency's tests, pinned here as well as in the file
        assertThat(ChainEncoding.hex(MerkleTree.root(List.of()))).isEqualTo(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(ChainEncoding.hex(MerkleTree.root(leaves))).isEqualTo(
                "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    }

    @Test
    void auditPathsAreThePublishedOnesAndReachTheRoot() throws Exception {
        JsonNode vectors = vectors();
        List<byte[]> leaves = rfcLeaves(vectors);
        for (JsonNode c : vectors.get("rfc6962_paths")) {
            int index = c.get("index").asInt();
            int size = c.get("size").asInt();
            List<String> path = MerkleTree.path(leaves.subList(0, size), index).stream().map(ChainEncoding::hex).toList();
            List<String> expected = new ArrayList<>();
            c.get("path").forEach(p -> expected.add(p.asText()));
            assertThat(path).as("path of %d in %d", index, size).isEqualTo(expected);
            assertThat(MerkleTree.proves(leaves.get(index), index, size, MerkleTree.path(leaves.subList(0, size), index),
                    MerkleTree.root(leaves.subList(0, size)))).isTrue();
        }
        assertThat(MerkleTree.path(leaves, 0).stream().map(ChainEncoding::hex).toList()).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    }

    @Test
    void aProofProvesItsLeafAtItsPlaceAndNothingElse() {
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            leaves.add(MerkleTree.leafHash(new byte[] {(byte) i, (byte) (i >> 8)}));
        }
        for (int n = 1; n <= leaves.size(); n++) {
            List<byte[]> tree = leaves.subList(0, n);
            byte[] root = MerkleTree.root(tree);
            for (int m = 0; m < n; m++) {
                List<byte[]> path = MerkleTree.path(tree, m);
                assertThat(MerkleTree.proves(tree.get(m), m, n, path, root)).as("leaf %d of %d", m, n).isTrue();
                if (n > 1) {
                    int other = (m + 1) % n;
                    assertThat(MerkleTree.proves(tree.get(m), other, n, path, root)).as("%d at %d of %d", m, other, n)
                            .isFalse();
                    assertThat(MerkleTree.proves(tree.get(other), m, n, path, root)).isFalse();
                    assertThat(MerkleTree.rootFromPath(tree.get(m), m, n, path.subList(0, path.size() - 1)))
                            .as("short path, leaf %d of %d", m, n).isEmpty();
                    List<byte[]> changed = new ArrayList<>(path);
                    byte[] flipped = changed.get(0).clone();
                    flipped[0] ^= 1;
                    changed.set(0, flipped);
                    assertThat(MerkleTree.proves(tree.get(m), m, n, changed, root)).isFalse();
                }
                List<byte[]> longer = new ArrayList<>(path);
                longer.add(root);
                assertThat(MerkleTree.rootFromPath(tree.get(m), m, n, longer)).as("long path, leaf %d of %d", m, n)
                        .isEmpty();
            }
            assertThat(MerkleTree.rootFromPath(tree.get(0), n, n, List.of())).isEmpty();
        }
        assertThat(MerkleTree.rootFromPath(leaves.get(0), -1, 3, List.of())).isEmpty();
        assertThat(MerkleTree.rootFromPath(leaves.get(0), 0, 0, List.of())).isEmpty();
        // a node is never a leaf: the prefixes keep them apart
        assertThat(MerkleTree.leafHash(new byte[0])).isNotEqualTo(ChainEncoding.sha256(new byte[0]));
    }

    @Test
    void theLedgersLeavesAreTheKnownAnswers() throws Exception {
        JsonNode ledger = vectors().get("ledger");
        JsonNode chain = ledger.get("chain_leaf");
        byte[] chainLeaf = DigestLeaves.chainLeaf(chain.get("stream").asText(), chain.get("sequence").asLong(),
                ChainEncoding.unhex(chain.get("link").asText()));
        assertThat(ChainEncoding.hex(chainLeaf)).isEqualTo(chain.get("data").asText());
        assertThat(ChainEncoding.hex(MerkleTree.leafHash(chainLeaf))).isEqualTo(chain.get("hash").asText());
        JsonNode r = ledger.get("receipt_leaf");
        byte[] receiptLeaf = DigestLeaves.receiptLeaf(new DigestLeaves.ReceiptFields(r.get("receipt").asText(),
                ChainEncoding.sha256(r.get("body").asText().getBytes(StandardCharsets.UTF_8)),
                Instant.parse(r.get("received_at").asText()), r.get("content_type").asText(),
                r.get("webhook_type").asText(), r.get("signature_method").asText(), r.get("signature_uri").asText(),
                r.get("signature_authorization").asText(), r.get("signature_client_key").asText()));
        assertThat(ChainEncoding.hex(receiptLeaf)).isEqualTo(r.get("data").asText());
        assertThat(ChainEncoding.hex(MerkleTree.root(List.of(MerkleTree.leafHash(chainLeaf),
                MerkleTree.leafHash(receiptLeaf))))).isEqualTo(ledger.get("root_of_both").asText());
    }
}
