package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qiledger.api.audit.ChainEncoding;
import com.qiledger.api.audit.Digest;
import com.qiledger.api.audit.Digests;
import com.qiledger.api.audit.DigestLeaves;
import com.qiledger.api.audit.LedgerKey;
import com.qiledger.api.audit.MerkleTree;
import com.qiledger.api.audit.Verification;
import com.qiledger.api.audit.VerifyCommand;
import com.qiledger.api.platform.LedgerProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 21 through the running service: every delivery of every family chained in the write path's
 * own transaction, a digest saved by an auditor, and each tamper an insider with the fence lifted can
 * make (through SQL as a superuser, undone after) found and named by the verifier.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-audit");
    static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
        registry.add("ledger.audit.digest-interval", () -> "0");
        // a few rows at a time: every digest here reads its delta in many chunks (ledger.audit.digest-read-size)
        registry.add("ledger.audit.digest-read-size", () -> "3");
    }

    @Autowired
    DataSource dataSource;
    @Autowired
    LedgerKey ledgerKey;
    @Autowired
    java.time.Clock clock;
    @Autowired
    LedgerProperties properties;
    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

    Digest saved;
    PublicKey key;
    String stream;
    String receipt;

    @BeforeAll
    void aLedgerOfEveryFamily() throws Exception {
        for (byte[] body : Webhooks.all()) {
            post(body);
        }
        post(Webhooks.read("bank-slip/paid_qr_code.json"));                       // a resend: duplicate
        post("{\"webhook_type\":\"hold.out.family\",\"key\":\"k-1\"}".getBytes(StandardCharsets.UTF_8));
        JsonNode digest = get("/api/v1/audit/digest");
        saved = Digest.fromJson(digest);
        key = LedgerKey.readPublicKey(get("/api/v1/audit/public-key").get("public_key_pem").asText());
        stream = jdbc.sql("""
                        SELECT aggregateidentifier FROM domainevententry GROUP BY 1 HAVING count(*) >= 3
                        ORDER BY 1 LIMIT 1""").query(String.class).single();
        receipt = jdbc.sql("""
                        SELECT convert_from(metadata, 'UTF8')::jsonb ->> 'receiptId' FROM domainevententry
                        WHERE aggregateidentifier = :s AND sequencenumber = 1""")
                .param("s", stream).query(String.class).single();
    }

    @Test
    @Order(1)
    void aCleanLedgerOfEveryFamilyVerifies() throws Exception {
        assertThat(count("SELECT count(*) FROM domainevententry")).isGreaterThan(10);
        assertThat(count("SELECT count(*) FROM receipt WHERE outcome = 'quarantined'")).isPositive();
        try (Connection c = dataSource.getConnection()) {
            Verification v = VerifyCommand.verify(c, Optional.of(saved), Optional.of(key));
            assertThat(v.breaks()).isEmpty();
            assertThat(v.events()).isEqualTo(count("SELECT count(*) FROM domainevententry"));
            assertThat(v.links()).isEqualTo(v.events());
            assertThat(v.receipts()).isEqualTo((int) count("SELECT count(*) FROM receipt"));
        }
        assertThat(saved.signedBy(key)).isTrue();
        assertThat(saved.chains()).isEqualTo(count("SELECT count(DISTINCT aggregateidentifier) FROM domainevententry"));
    }

    @Test
    void theWritePathsLinksAreTheSqlTwinsLinks() {
        // every link recomputed by V17's audit_canonical, from the link before it
        long differ = count("""
                SELECT count(*) FROM (
                    SELECT c.hash, sha256(coalesce(lag(c.hash) OVER (PARTITION BY c.aggregate_id ORDER BY c.seq),
                            decode(repeat('00', 32), 'hex'))
                        || audit_canonical(e.type, e.aggregateidentifier, e.sequencenumber, e.eventidentifier,
                            e.payloadtype, e.payloadrevision, e.timestamp, e.payload, e.metadata,
                            convert_from(e.metadata, 'UTF8')::jsonb ->> 'receiptId', r.body_sha256)) AS recomputed
                    FROM audit_chain c
                    JOIN domainevententry e ON e.aggregateidentifier = c.aggregate_id AND e.sequencenumber = c.seq
                    LEFT JOIN receipt r ON CAST(r.receipt_id AS TEXT) = c.receipt_id) x
                WHERE hash <> recomputed""");
        assertThat(differ).isZero();
        assertThat(count("SELECT count(*) FROM audit_chain c JOIN domainevententry e ON e.globalindex = c.global_index"
                + " AND e.aggregateidentifier = c.aggregate_id AND e.sequencenumber = c.seq"))
                .isEqualTo(count("SELECT count(*) FROM domainevententry"));
    }

    @Test
    void theSqlTwinGivesTheKnownAnswers() throws Exception {
        JsonNode vectors;
        try (var in = getClass().getResourceAsStream("/audit/chain-v1-vectors.json")) {
            vectors = JSON.readTree(in).get("vectors");
        }
        for (JsonNode v : vectors) {
            String canonical = jdbc.sql("""
                            SELECT encode(audit_canonical(CAST(:type AS TEXT), CAST(:id AS TEXT), CAST(:seq AS BIGINT),
                                CAST(:event AS TEXT), CAST(:ptype AS TEXT), CAST(:revision AS TEXT),
                                CAST(:recorded AS TEXT), CAST(:payload AS BYTEA), CAST(:metadata AS BYTEA),
                                CAST(:receipt AS TEXT), sha256(CAST(:body AS BYTEA))), 'hex')""")
                    .param("type", text(v, "aggregate_type")).param("id", text(v, "aggregate_id"))
                    .param("seq", v.get("sequence").asLong()).param("event", text(v, "event_id"))
                    .param("ptype", text(v, "payload_type")).param("revision", text(v, "payload_revision"))
                    .param("recorded", text(v, "recorded")).param("payload", bytes(v, "payload"))
                    .param("metadata", bytes(v, "metadata")).param("receipt", text(v, "receipt_id"))
                    .param("body", bytes(v, "receipt_body"))
                    .query(String.class).single();
            assertThat(canonical).as(v.get("name").asText()).isEqualTo(v.get("canonical").asText());
        }
    }

    private static String text(JsonNode v, String field) {
        return v.get(field).isNull() ? null : v.get(field).asText();
    }

    private static byte[] bytes(JsonNode v, String field) {
        String text = text(v, field);
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void oneByteOfAPayloadIsNamed() throws Exception {
        assertThat(tampered("UPDATE domainevententry SET payload = set_byte(payload, 5, get_byte(payload, 5) # 1) "
                + "WHERE aggregateidentifier = '" + stream + "' AND sequencenumber = 1"))
                .contains(at("domainevententry", 1, "payload edited"));
    }

    @Test
    void aDeletedEventIsNamed() throws Exception {
        assertThat(tampered("DELETE FROM domainevententry WHERE aggregateidentifier = '" + stream
                + "' AND sequencenumber = 1"))
                .contains(at("domainevententry", 1, "event deleted (its chain link remains)"));
    }

    @Test
    void twoEventsSwappedAreNamed() throws Exception {
        List<String> lines = tampered(
                "UPDATE domainevententry SET sequencenumber = -1 WHERE aggregateidentifier = '" + stream
                        + "' AND sequencenumber = 0",
                "UPDATE domainevententry SET sequencenumber = 0 WHERE aggregateidentifier = '" + stream
                        + "' AND sequencenumber = 1",
                "UPDATE domainevententry SET sequencenumber = 1 WHERE aggregateidentifier = '" + stream
                        + "' AND sequencenumber = -1");
        assertThat(lines).anyMatch(l -> l.startsWith(prefix("domainevententry", 0) + "events reordered"));
        assertThat(lines).anyMatch(l -> l.startsWith(prefix("domainevententry", 1) + "events reordered"));
    }

    @Test
    void aReplacedReceiptBodyIsNamed() throws Exception {
        String line = "BREAK table=receipt entity=receipt key=" + receipt + " receipt " + receipt + ": ";
        assertThat(tampered("UPDATE receipt SET body = convert_to('{\"forged\":true}', 'UTF8') WHERE receipt_id = '"
                + receipt + "'"))
                .contains(line + "receipt body replaced (the SHA-256 of its body is not the one recorded with it)");
        // with its recorded SHA-256 replaced too, the chain still names it
        assertThat(tampered("UPDATE receipt SET body = convert_to('{\"forged\":true}', 'UTF8'), "
                + "body_sha256 = sha256(convert_to('{\"forged\":true}', 'UTF8')) WHERE receipt_id = '" + receipt + "'"))
                .contains(line + "receipt body replaced (the chain linked another body)");
    }

    @Test
    void aChainRewrittenConsistentlyFromTheEditOnwardIsCaughtByTheSavedDigest() throws Exception {
        // the insider edits a payload, then recomputes that link and every later one with V17's own SQL twin
        List<String> lines = tampered(
                "UPDATE domainevententry SET payload = set_byte(payload, 5, get_byte(payload, 5) # 1) "
                        + "WHERE aggregateidentifier = '" + stream + "' AND sequencenumber = 1",
                """
                DO $$
                DECLARE r RECORD; previous BYTEA;
                BEGIN
                    SELECT hash INTO previous FROM audit_chain WHERE aggregate_id = '%1$s' AND seq = 0;
                    FOR r IN SELECT e.*, c.receipt_id AS rid, c.receipt_sha256 AS rsha FROM domainevententry e
                             JOIN audit_chain c ON c.aggregate_id = e.aggregateidentifier AND c.seq = e.sequencenumber
                             WHERE e.aggregateidentifier = '%1$s' AND e.sequencenumber >= 1 ORDER BY e.sequencenumber
                    LOOP
                        previous := sha256(previous || audit_canonical(r.type, r.aggregateidentifier,
                            r.sequencenumber, r.eventidentifier, r.payloadtype, r.payloadrevision, r.timestamp,
                            r.payload, r.metadata, r.rid, r.rsha));
                        UPDATE audit_chain SET hash = previous, payload_sha256 = sha256(r.payload)
                        WHERE aggregate_id = r.aggregateidentifier AND seq = r.sequencenumber;
                    END LOOP;
                END $$""".formatted(stream));
        assertThat(lines).noneMatch(l -> l.contains("table=domainevententry"));
        assertThat(lines).contains("BREAK table=saved digest entity=digest key=" + saved.id() + " digest " + saved.id()
                + ": history rewritten before this digest (its root over " + saved.chains() + " chains and "
                + saved.receipts() + " receipts no longer matches the rows: " + saved.chains() + " chains, "
                + saved.receipts() + " receipts)");
    }

    @Test
    void aForgedDigestSignatureIsNamed() throws Exception {
        assertThat(tampered("UPDATE audit_digest SET signature = set_byte(signature, 0, get_byte(signature, 0) # 1) "
                + "WHERE digest_id = " + saved.id()))
                .contains("BREAK table=audit_digest entity=digest key=" + saved.id() + " digest " + saved.id()
                        + ": digest signature invalid");
        // a saved digest whose root was changed by hand (its signature kept)
        ObjectNode forged = (ObjectNode) JSON.valueToTree(saved.toJson());
        forged.put("root", ChainEncoding.hex(new byte[32]));
        try (Connection c = dataSource.getConnection()) {
            assertThat(lines(VerifyCommand.verify(c, Optional.of(Digest.fromJson(forged)), Optional.of(key))))
                    .contains("BREAK table=saved digest entity=digest key=" + saved.id() + " digest " + saved.id()
                            + ": digest signature invalid");
        }
    }

    @Test
    void theFenceRefusesEditsButLetsAReceiptBeCompleted() {
        assertThatThrownBy(() -> jdbc.sql("UPDATE domainevententry SET payload = payload WHERE aggregateidentifier = :s")
                .param("s", stream).update()).rootCause().hasMessageContaining("UPDATE on domainevententry refused");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM domainevententry WHERE aggregateidentifier = :s")
                .param("s", stream).update()).rootCause().hasMessageContaining("DELETE on domainevententry refused");
        assertThatThrownBy(() -> jdbc.sql("TRUNCATE domainevententry").update())
                .rootCause().hasMessageContaining("TRUNCATE on domainevententry refused");
        assertThatThrownBy(() -> jdbc.sql("UPDATE audit_chain SET hash = hash").update())
                .rootCause().hasMessageContaining("UPDATE on audit_chain refused");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_digest").update())
                .rootCause().hasMessageContaining("DELETE on audit_digest refused");
        assertThatThrownBy(() -> jdbc.sql("UPDATE receipt SET body = body WHERE receipt_id = CAST(:r AS UUID)")
                .param("r", receipt).update()).rootCause().hasMessageContaining("UPDATE on receipt refused");
        assertThatThrownBy(() -> jdbc.sql("DELETE FROM receipt WHERE receipt_id = CAST(:r AS UUID)")
                .param("r", receipt).update()).rootCause().hasMessageContaining("DELETE on receipt refused");
        // what the intake updates after writing a receipt stays open
        assertThat(jdbc.sql("UPDATE receipt SET attempts = attempts, outcome = outcome, reason = reason, "
                + "position = position, last_attempt_at = last_attempt_at WHERE receipt_id = CAST(:r AS UUID)")
                .param("r", receipt).update()).isEqualTo(1);
    }

    @Test
    void theProofOfAnEntityReachesTheSignedRootWithThePublicKeyAlone() throws Exception {
        get("/api/v1/audit/digest");
        String[] named = stream.split(":", 2);
        String entity = switch (named[0]) {
            case "BankSlip" -> "bank-slips";
            case "DdaBankSlip" -> "dda-bank-slips";
            case "Installment" -> "installments";
            case "ConciliationBatch" -> "conciliation-batches";
            default -> "debts";
        };
        JsonNode proof = get("/api/v1/audit/proof/{e}/{k}", entity, named[1]);
        Digest digest = Digest.fromJson(proof.get("digest"));
        assertThat(digest.signedBy(key)).isTrue();
        byte[] link = ChainEncoding.GENESIS;
        for (JsonNode l : proof.get("links")) {
            link = ChainEncoding.sha256(concat(link, ChainEncoding.unhex(l.get("canonical").asText())));
            assertThat(ChainEncoding.hex(link)).isEqualTo(l.get("hash").asText());
        }
        JsonNode inclusion = proof.get("inclusion");
        // the tree's size is what the signature covers: a proof is checked at that size, not at one it brings
        assertThat(inclusion.get("tree_size").asLong()).isEqualTo(digest.chains() + digest.receipts());
        byte[] leaf = ChainEncoding.unhex(inclusion.get("leaf").asText());
        assertThat(leaf).isEqualTo(DigestLeaves.chainLeaf(stream, inclusion.get("head_sequence").asLong(), link));
        List<byte[]> path = new ArrayList<>();
        inclusion.get("path").forEach(p -> path.add(ChainEncoding.unhex(p.asText())));
        assertThat(MerkleTree.proves(MerkleTree.leafHash(leaf), inclusion.get("leaf_index").asLong(),
                inclusion.get("tree_size").asLong(), path, digest.root())).isTrue();
        assertThat(MerkleTree.proves(MerkleTree.leafHash(leaf), inclusion.get("leaf_index").asLong() + 1,
                inclusion.get("tree_size").asLong(), path, digest.root())).isFalse();

        web.get().uri("/api/v1/audit/proof/{e}/{k}", "bank-slips", "no-such-slip").exchange().expectStatus()
                .isNotFound();
        web.get().uri("/api/v1/audit/proof/{e}/{k}", "nothing", "x").exchange().expectStatus().isNotFound();
        JsonNode page = get("/api/v1/audit/digests?limit=1");
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("next_before").asLong()).isPositive();
        assertThat(get("/api/v1/audit/digests?before=" + page.get("next_before").asLong()).get("items"))
                .isNotEmpty();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void aDigestAddsWhatWasWrittenSinceTheOneBeforeItAndTheProofFindsTheEntitysNewHead() throws Exception {
        String slip = java.util.UUID.randomUUID().toString();
        String other = java.util.UUID.randomUUID().toString();
        post(new String(Webhooks.read("bank-slip/registered.json"), StandardCharsets.UTF_8)
                .replace("11b13b2c-4204-41b3-8596-2ee7ecbde38c", slip).getBytes(StandardCharsets.UTF_8));
        Digest first = Digest.fromJson(get("/api/v1/audit/digest"));
        post(new String(Webhooks.read("bank-slip/payment_notice.json"), StandardCharsets.UTF_8)
                .replace("03c38d18-d12f-4b5f-841c-afab52fe33c5", slip).getBytes(StandardCharsets.UTF_8));
        post(new String(Webhooks.read("bank-slip/registered.json"), StandardCharsets.UTF_8)
                .replace("11b13b2c-4204-41b3-8596-2ee7ecbde38c", other).getBytes(StandardCharsets.UTF_8));
        Digest second = Digest.fromJson(get("/api/v1/audit/digest"));

        assertThat(second.version()).isEqualTo(2);
        assertThat(second.previous()).isEqualTo(first.id());
        assertThat(second.signedBy(key)).isTrue();
        // the slip paid since, and the new slip: one chain leaf each; two receipts
        assertThat(second.chains()).isEqualTo(first.chains() + 2);
        assertThat(second.receipts()).isEqualTo(first.receipts() + 2);
        try (Connection c = dataSource.getConnection()) {
            assertThat(VerifyCommand.verify(c, Optional.of(second), Optional.of(key)).breaks()).isEmpty();
            assertThat(VerifyCommand.verify(c, Optional.of(first), Optional.of(key)).breaks()).isEmpty();
        }
        JsonNode inclusion = get("/api/v1/audit/proof/{e}/{k}", "bank-slips", slip).get("inclusion");
        assertThat(inclusion.get("head_sequence").asLong()).isEqualTo(1);
        assertThat(inclusion.get("tree_size").asLong()).isEqualTo(second.chains() + second.receipts());
        assertThat(inclusion.get("leaf_index").asLong()).as("a leaf the second digest added")
                .isGreaterThanOrEqualTo(first.chains() + first.receipts());
        List<byte[]> path = new ArrayList<>();
        inclusion.get("path").forEach(p -> path.add(ChainEncoding.unhex(p.asText())));
        assertThat(MerkleTree.proves(MerkleTree.leafHash(ChainEncoding.unhex(inclusion.get("leaf").asText())),
                inclusion.get("leaf_index").asLong(), inclusion.get("tree_size").asLong(), path, second.root()))
                .isTrue();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void digestsMadeAtOnceEachExtendAnother() throws Exception {
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<JsonNode>> made = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                made.add(two.submit(() -> get("/api/v1/audit/digest")));
            }
            for (java.util.concurrent.Future<JsonNode> f : made) {
                assertThat(Digest.fromJson(f.get()).version()).isEqualTo(2);
            }
        } finally {
            two.shutdownNow();
        }
        assertEachDigestExtendsAnotherAndTheLedgerVerifies();
    }

    /**
     * Four nodes (four {@link Digests} on the one database, each with its own node-local lock) make
     * three digests each at once: every one is made, each extends another (no two extend the same one)
     * and the verifier finds nothing. Before the cluster-wide lock (issue 20's left-alone race), nodes
     * that read the same newest digest all but one started again, and a node that lost three times in a
     * row answered 500.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void digestsMadeAtOnceOnSeveralNodesEachExtendAnother() throws Exception {
        long before = count("SELECT count(*) FROM audit_digest WHERE version = 2");
        List<Digests> nodes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            nodes.add(new Digests(jdbc, ledgerKey, clock, properties, transactions, dataSource));
        }
        java.util.concurrent.ExecutorService four = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Digest>> made = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (Digests node : nodes) {
                    made.add(four.submit(node::create));
                }
            }
            for (java.util.concurrent.Future<Digest> f : made) {
                assertThat(f.get().version()).isEqualTo(2);
            }
        } finally {
            four.shutdownNow();
        }
        assertThat(count("SELECT count(*) FROM audit_digest WHERE version = 2")).isEqualTo(before + 12);
        assertEachDigestExtendsAnotherAndTheLedgerVerifies();
    }

    /**
     * A node that waits longer than {@code ledger.audit.digest-wait} for the cluster's digest lock (held
     * here by another session, as by a node making a slow digest) is told it is busy (503 at the API),
     * and makes its digest once the lock is free.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aNodeWaitingTooLongForAnotherNodesDigestIsToldItIsBusy() throws Exception {
        LedgerProperties.Audit audit = properties.audit();
        LedgerProperties impatient = new LedgerProperties(properties.dataDir(), properties.embedded(),
                properties.webhook(), properties.query(), properties.blocking(), properties.security(),
                properties.projections(), new LedgerProperties.Audit(audit.chain(), audit.digestInterval(),
                        audit.signingKey(), java.time.Duration.ofMillis(300), audit.digestReadSize()));
        Digests node = new Digests(jdbc, ledgerKey, clock, impatient, transactions, dataSource);
        try (Connection other = dataSource.getConnection();
             java.sql.PreparedStatement lock = other.prepareStatement("SELECT pg_advisory_lock(hashtext(?))");
             java.sql.PreparedStatement unlock = other.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
            lock.setString(1, Digests.LOCK);
            lock.execute();
            try {
                assertThatThrownBy(node::create).isInstanceOf(Digests.DigestBusyException.class)
                        .hasMessageContaining("another node has been making a digest for longer than 300 ms");
            } finally {
                unlock.setString(1, Digests.LOCK);
                unlock.execute();
            }
        }
        assertThat(node.create().version()).isEqualTo(2);
    }

    /** No two digests extend the same one, and the verifier finds nothing. */
    private void assertEachDigestExtendsAnotherAndTheLedgerVerifies() throws Exception {
        assertThat(count("SELECT count(*) FROM audit_digest WHERE version = 2"))
                .isEqualTo(count("SELECT count(DISTINCT previous_id) FROM audit_digest WHERE version = 2"));
        try (Connection c = dataSource.getConnection()) {
            assertThat(VerifyCommand.verify(c, Optional.empty(), Optional.of(key)).breaks()).isEmpty();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private String prefix(String table, long seq) {
        String[] named = stream.split(":", 2);
        String entity = switch (named[0]) {
            case "BankSlip" -> "bank-slips";
            case "DdaBankSlip" -> "dda-bank-slips";
            case "Installment" -> "installments";
            case "ConciliationBatch" -> "conciliation-batches";
            default -> "debts";
        };
        return "BREAK table=" + table + " entity=" + entity + " key=" + named[1] + " sequence " + seq + ": ";
    }

    private String at(String table, long seq, String what) {
        return prefix(table, seq) + what;
    }

    /**
     * Makes the change as a superuser with the fence lifted ({@code session_replication_role = replica}
     * turns the triggers off for this transaction), runs every check of the verifier on what it left,
     * then rolls it back.
     */
    private List<String> tampered(String... statements) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL session_replication_role = replica");
                for (String sql : statements) {
                    s.execute(sql);
                }
                s.execute("SET LOCAL session_replication_role = origin");
            }
            try {
                return lines(VerifyCommand.check(c, Optional.of(saved), Optional.of(key)));
            } finally {
                c.rollback();
            }
        }
    }

    private static List<String> lines(Verification v) {
        return v.breaks().stream().map(Verification.Break::line).toList();
    }
}
