package com.qiledger.api.audit;

import com.qiledger.api.platform.ApiDocs;
import com.qiledger.api.platform.ApiDocs.OperationDoc;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The audit endpoints' part of the OpenAPI description (docs/audit.md has the whole method). */
@Configuration(proxyBeanMethods = false)
class AuditApiDocs {

    @Bean
    ApiDocs auditDocs() {
        return new ApiDocs(Map.of(), Map.of(
                "GET /api/v1/audit/digest", new OperationDoc("A new signed digest of everything committed so far",
                        "The Merkle root (RFC 6962, SHA-256) over every entity's hash-chain head and every receipt "
                                + "committed when the digest began, with the position and receipt number it covers, "
                                + "signed with the ledger's Ed25519 key over `statement` (see docs/audit.md). Save the "
                                + "JSON: `java -jar qi-ledger.jar verify --digest=FILE` checks that what it covered is "
                                + "still there unchanged. Every digest is kept. `503` when transactions in flight did "
                                + "not end within `ledger.audit.digest-wait`.",
                        example()),
                "GET /api/v1/audit/digests", new OperationDoc("Every digest kept, newest first, paged",
                        "`limit` (1-500, default 50) and `before=<id>`; `next_before` continues the list.", null),
                "GET /api/v1/audit/public-key", new OperationDoc("The ledger's public key",
                        "Ed25519, as a PEM `PUBLIC KEY` block, with its `key_id` (SHA-256 of the DER).", null),
                "GET /api/v1/audit/proof/{entity}/{key}", new OperationDoc(
                        "One entity's hash chain and the Merkle path of its head to the latest digest",
                        "`links`: each event's canonical bytes (hex) and link, `hash_n = SHA-256(hash_{n-1} || "
                                + "canonical_n)` from 32 zero bytes; `inclusion`: the head's leaf, its index, the tree "
                                + "size and the audit path to the `digest`'s root, checkable with the public key alone. "
                                + "`inclusion` is null when the latest digest does not cover the entity yet. `404` when "
                                + "the entity is unknown or has no event.",
                        null)));
    }

    private static Map<String, Object> example() {
        Map<String, Object> digest = new java.util.LinkedHashMap<>();
        digest.put("version", 2);
        digest.put("id", 7);
        digest.put("previous", 6);
        digest.put("created_at", "2026-01-05T12:00:00.123456Z");
        digest.put("position", 1520);
        digest.put("receipt_position", 611);
        digest.put("chains", 1290);
        digest.put("receipts", 611);
        digest.put("root", "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
        digest.put("algorithm", "Ed25519");
        digest.put("public_key", "MCowBQYDK2VwAyEA...");
        digest.put("key_id", "sha-256 of the public key, hex");
        digest.put("signature", "base64");
        return digest;
    }
}
