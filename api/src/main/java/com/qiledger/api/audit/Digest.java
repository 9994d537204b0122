package com.qiledger.api.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A signed ledger digest over every chain link with an event at or below {@code position} and every
 * receipt with {@code audit_seq} at or below {@code receiptPosition}, signed (Ed25519) over
 * {@link #statement()}. As JSON ({@link #toJson()}, {@link #fromJson}) it is what an auditor saves and
 * hands to the verifier.
 *
 * <p>Version 2 (since V25): {@code root} is the root of the ledger's one append-only tree after this
 * digest added its leaves ({@link DigestDeltas}) to those of the digest it names as {@code previous}
 * (0 for the first); {@code chains} and {@code receipts} count the tree's leaves of each kind. Version 1
 * (the digests made before): the root over every chain head and every receipt, in key order.
 */
public record Digest(int version, long id, long previous, Instant createdAt, long position, long receiptPosition,
                     long chains, long receipts, byte[] root, String algorithm, byte[] publicKey, byte[] signature) {

    public static final String ALGORITHM = "Ed25519";

    /** The version a digest is made in now. */
    public static final int VERSION = 2;

    /** A version 1 digest (as made before V25). */
    public Digest(long id, Instant createdAt, long position, long receiptPosition, long chains, long receipts,
                  byte[] root, String algorithm, byte[] publicKey, byte[] signature) {
        this(1, id, 0, createdAt, position, receiptPosition, chains, receipts, root, algorithm, publicKey, signature);
    }

    /** The same digest with another signature. */
    public Digest signed(byte[] newSignature) {
        return new Digest(version, id, previous, createdAt, position, receiptPosition, chains, receipts, root,
                algorithm, publicKey, newSignature);
    }

    /** The signed bytes: one {@code name=value} line each, in this order, UTF-8. */
    public byte[] statement() {
        return ("qi-ledger-digest-v" + version + "\n"
                + "id=" + id + "\n"
                + (version >= 2 ? "previous=" + previous + "\n" : "")
                + "created_at=" + createdAt + "\n"
                + "position=" + position + "\n"
                + "receipt_position=" + receiptPosition + "\n"
                + "chains=" + chains + "\n"
                + "receipts=" + receipts + "\n"
                + "root=" + ChainEncoding.hex(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** True when the signature holds for the statement under {@code key}. */
    public boolean signedBy(PublicKey key) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(statement());
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public PublicKey key() throws GeneralSecurityException {
        return publicKey(publicKey);
    }

    public static PublicKey publicKey(byte[] x509) throws GeneralSecurityException {
        return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(x509));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", version);
        json.put("id", id);
        if (version >= 2) {
            json.put("previous", previous);
        }
        json.put("created_at", createdAt.toString());
        json.put("position", position);
        json.put("receipt_position", receiptPosition);
        json.put("chains", chains);
        json.put("receipts", receipts);
        json.put("root", ChainEncoding.hex(root));
        json.put("algorithm", algorithm);
        json.put("public_key", Base64.getEncoder().encodeToString(publicKey));
        json.put("key_id", ChainEncoding.hex(ChainEncoding.sha256(publicKey)));
        json.put("signature", Base64.getEncoder().encodeToString(signature));
        return json;
    }

    public static Digest fromJson(com.fasterxml.jackson.databind.JsonNode json) {
        return new Digest(json.path("version").asInt(1), json.path("id").asLong(), json.path("previous").asLong(0),
                Instant.parse(json.path("created_at").asText()),
                json.path("position").asLong(), json.path("receipt_position").asLong(), json.path("chains").asLong(),
                json.path("receipts").asLong(), ChainEncoding.unhex(json.path("root").asText()),
                json.path("algorithm").asText(), Base64.getDecoder().decode(json.path("public_key").asText()),
                Base64.getDecoder().decode(json.path("signature").asText()));
    }

    /** Same fields, byte for byte. */
    public boolean sameAs(Digest other) {
        return version == other.version && id == other.id && previous == other.previous
                && createdAt.equals(other.createdAt) && position == other.position
                && receiptPosition == other.receiptPosition && chains == other.chains && receipts == other.receipts
                && java.util.Arrays.equals(root, other.root) && algorithm.equals(other.algorithm)
                && java.util.Arrays.equals(publicKey, other.publicKey)
                && java.util.Arrays.equals(signature, other.signature);
    }
}
