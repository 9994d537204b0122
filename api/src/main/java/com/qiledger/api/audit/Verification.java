package com.qiledger.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qiledger.command.messages.common.LedgerMetaData;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checks of the offline verifier over rows as the database holds them, with no database of its own
 * (so that they can be tested on any rows): feed it every receipt, then every stream's events and
 * links, one stream at a time in {@link DigestLeaves#STREAM_ORDER}, then the digests; it recomputes
 * every link from the rows and every digest's root from the recomputed chains, and collects one
 * {@link Break} for each thing that does not hold.
 */
public final class Verification {

    /** One thing that does not hold: where (table, entity, key, sequence or receipt) and what. */
    public record Break(String table, String entity, String key, String at, String what) {
        public String line() {
            return "BREAK table=" + table + " entity=" + entity + " key=" + key + " " + at + ": " + what;
        }
    }

    /** An event as {@code domainevententry} holds it. */
    public record EventRow(long globalIndex, String aggregateId, long seq, String type, String eventId,
                           byte[] metadata, byte[] payload, String payloadRevision, String payloadType,
                           String timestamp) {
    }

    /** A link as {@code audit_chain} holds it. */
    public record LinkRow(String aggregateId, long seq, long globalIndex, String eventId, String receiptId,
                          byte[] receiptSha256, byte[] payloadSha256, byte[] hash) {
    }

    /** A receipt as {@code receipt} holds it (the columns that are never updated). */
    public record ReceiptRow(String receiptId, byte[] body, byte[] bodySha256, Instant receivedAt,
                             String contentType, String webhookType, long auditSeq, String signatureMethod,
                             String signatureUri, String signatureAuthorization, String signatureClientKey) {
    }

    private record ReceiptState(byte[] sha256, byte[] leafHash, long auditSeq) {
    }

    /** A stream's recomputed links, with each event's position, for the digests. */
    private record History(String aggregateId, long[] positions, long[] seqs, byte[][] links) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Verifies a receipt's stored provider signature again: empty when it holds, else why not. */
    public interface SignatureCheck {
        Optional<String> failure(ReceiptRow receipt);
    }

    private SignatureCheck signatures;
    private long signaturesUnchecked;

    private final Set<Break> breaks = new LinkedHashSet<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, ReceiptState> receipts = new HashMap<>();
    private final List<History> histories = new ArrayList<>();
    private long events;
    private long links;

    /** Re-verifies every stored provider signature with this check (the verifier's provider key). */
    public Verification checkingSignatures(SignatureCheck check) {
        this.signatures = check;
        return this;
    }

    public void receipt(ReceiptRow r) {
        if (r.signatureAuthorization() != null) {
            if (signatures == null) {
                signaturesUnchecked++;
            } else {
                signatures.failure(r).ifPresent(why -> breaks.add(new Break("receipt", "receipt", r.receiptId(),
                        "receipt " + r.receiptId(), "stored provider signature no longer verifies: " + why)));
            }
        }
        byte[] actual = ChainEncoding.sha256(r.body());
        if (!Arrays.equals(actual, r.bodySha256())) {
            breaks.add(new Break("receipt", "receipt", r.receiptId(), "receipt " + r.receiptId(),
                    "receipt body replaced (the SHA-256 of its body is not the one recorded with it)"));
        }
        byte[] leaf = MerkleTree.leafHash(DigestLeaves.receiptLeaf(new DigestLeaves.ReceiptFields(r.receiptId(),
                actual, r.receivedAt(), r.contentType(), r.webhookType(), r.signatureMethod(), r.signatureUri(),
                r.signatureAuthorization(), r.signatureClientKey())));
        if (receipts.put(r.receiptId(), new ReceiptState(actual, leaf, r.auditSeq())) != null) {
            breaks.add(new Break("receipt", "receipt", r.receiptId(), "receipt " + r.receiptId(),
                    "receipt id appears twice"));
        }
    }

    /** One stream: its events and its links, each in sequence order. */
    public void stream(String aggregateId, List<EventRow> streamEvents, List<LinkRow> streamLinks) {
        events += streamEvents.size();
        links += streamLinks.size();
        String[] named = Entities.of(aggregateId);
        TreeMap<Long, EventRow> bySeq = new TreeMap<>();
        Map<String, Long> seqOfEvent = new HashMap<>();
        for (EventRow e : streamEvents) {
            if (bySeq.put(e.seq(), e) != null) {
                at(named, "domainevententry", e.seq(), "two events at one sequence");
            }
            seqOfEvent.put(e.eventId(), e.seq());
        }
        TreeMap<Long, LinkRow> linkBySeq = new TreeMap<>();
        for (LinkRow l : streamLinks) {
            linkBySeq.put(l.seq(), l);
        }
        // each link against its event, from the link stored before it
        byte[] storedPrevious = ChainEncoding.GENESIS;
        long expected = 0;
        for (LinkRow link : linkBySeq.values()) {
            if (link.seq() != expected) {
                at(named, "audit_chain", link.seq(), "chain links missing before this sequence (links deleted)");
            }
            expected = link.seq() + 1;
            EventRow event = bySeq.get(link.seq());
            if (event == null) {
                Long moved = seqOfEvent.get(link.eventId());
                at(named, "domainevententry", link.seq(), moved == null
                        ? "event deleted (its chain link remains)"
                        : "events reordered (event " + link.eventId() + " is now at sequence " + moved + ")");
                storedPrevious = link.hash();
                continue;
            }
            if (!link.eventId().equals(event.eventId())) {
                Long moved = seqOfEvent.get(link.eventId());
                at(named, "domainevententry", link.seq(), moved != null
                        ? "events reordered (the chain has event " + link.eventId() + " here, now at sequence "
                        + moved + ")"
                        : "event replaced (the chain has event " + link.eventId() + " here)");
                storedPrevious = link.hash();
                continue;
            }
            byte[] payloadSha = ChainEncoding.sha256(event.payload());
            String receiptId = receiptOf(event);
            byte[] recomputed = ChainEncoding.link(storedPrevious, fields(event, payloadSha, receiptId,
                    link.receiptSha256()));
            if (!Arrays.equals(recomputed, link.hash())) {
                if (!Arrays.equals(payloadSha, link.payloadSha256())) {
                    at(named, "domainevententry", link.seq(), "payload edited");
                } else if (!java.util.Objects.equals(receiptId, link.receiptId())) {
                    at(named, "domainevententry", link.seq(), "metadata edited (it names another receipt)");
                } else {
                    at(named, "domainevententry", link.seq(),
                            "event or its chain link edited (type, time, metadata or link differ from the chain)");
                }
            } else if (!Arrays.equals(payloadSha, link.payloadSha256())) {
                at(named, "audit_chain", link.seq(), "chain link edited (payload digest)");
            } else if (!java.util.Objects.equals(receiptId, link.receiptId())) {
                at(named, "audit_chain", link.seq(), "chain link edited (receipt id)");
            }
            if (link.globalIndex() != event.globalIndex()) {
                at(named, "domainevententry", link.seq(), "event moved in the global order (position "
                        + event.globalIndex() + ", chained at " + link.globalIndex() + ")");
            }
            if (receiptId != null) {
                ReceiptState receipt = receipts.get(receiptId);
                if (receipt == null && link.receiptSha256() != null) {
                    breaks.add(new Break("receipt", "receipt", receiptId, "receipt " + receiptId,
                            "receipt deleted (event " + named[0] + "/" + named[1] + " sequence " + link.seq()
                            + " came from it)"));
                } else if (receipt != null && !Arrays.equals(receipt.sha256(), link.receiptSha256())) {
                    breaks.add(new Break("receipt", "receipt", receiptId, "receipt " + receiptId,
                            "receipt body replaced (the chain linked another body)"));
                }
            }
            storedPrevious = link.hash();
        }
        for (EventRow e : bySeq.values()) {
            LinkRow link = linkBySeq.get(e.seq());
            if (link == null && !seqOfEventLinkedElsewhere(e, linkBySeq)) {
                at(named, "domainevententry", e.seq(), "event without a chain link (written around the ledger)");
            }
        }
        // the stream as the rows tell it now, for the digests
        int n = bySeq.size();
        long[] positions = new long[n];
        long[] seqs = new long[n];
        byte[][] recomputedLinks = new byte[n][];
        byte[] previous = ChainEncoding.GENESIS;
        int i = 0;
        for (EventRow e : bySeq.values()) {
            String receiptId = receiptOf(e);
            ReceiptState receipt = receiptId == null ? null : receipts.get(receiptId);
            LinkRow link = linkBySeq.get(e.seq());
            byte[] receiptSha = receipt != null ? receipt.sha256() : link != null ? link.receiptSha256() : null;
            previous = ChainEncoding.link(previous, fields(e, ChainEncoding.sha256(e.payload()), receiptId,
                    receiptSha));
            positions[i] = e.globalIndex();
            seqs[i] = e.seq();
            recomputedLinks[i] = previous;
            i++;
        }
        histories.add(new History(aggregateId, positions, seqs, recomputedLinks));
    }

    private static boolean seqOfEventLinkedElsewhere(EventRow e, TreeMap<Long, LinkRow> links) {
        // an event moved to another sequence is reported once, at the sequence its link names
        return links.values().stream().anyMatch(l -> l.eventId().equals(e.eventId()));
    }

    /**
     * The digests kept in the database, and one saved earlier by an auditor (if given): each signature
     * under the trusted key (or, without one, the key stored with the digest), and each root recomputed
     * from the rows. {@code rootsToCheck} bounds how many of the newest kept digests are recomputed.
     */
    public void digests(List<Digest> kept, Optional<Digest> saved, Optional<PublicKey> trusted, int rootsToCheck) {
        if (trusted.isEmpty()) {
            notes.add("no --public-key given: each digest's signature is checked against the key stored with it");
        }
        kept.sort(Comparator.comparingLong(Digest::id));
        List<Digest> v1 = kept.stream().filter(d -> d.version() == 1).toList();
        List<Digest> v2 = kept.stream().filter(d -> d.version() == 2).toList();
        for (Digest d : kept) {
            checkSignature(d, trusted, "audit_digest");
            if (d.version() != 1 && d.version() != 2) {
                breaks.add(new Break("audit_digest", "digest", Long.toString(d.id()), "digest " + d.id(),
                        "unknown digest version " + d.version()));
            }
        }
        for (int i = Math.max(0, v1.size() - rootsToCheck); i < v1.size(); i++) {
            checkRoot(v1.get(i), "audit_digest");
        }
        if (v1.size() > rootsToCheck) {
            notes.add("roots of the newest " + rootsToCheck + " of " + v1.size()
                    + " kept version 1 digests recomputed");
        }
        checkSequence(v2, "audit_digest", d -> true);
        saved.ifPresent(s -> {
            checkSignature(s, trusted, "saved digest");
            Optional<Digest> same = kept.stream().filter(d -> d.id() == s.id()).findFirst();
            if (same.isEmpty()) {
                breaks.add(new Break("audit_digest", "digest", Long.toString(s.id()), "digest " + s.id(),
                        "the saved digest is missing from the ledger (digest deleted)"));
            } else if (!same.get().sameAs(s)) {
                breaks.add(new Break("audit_digest", "digest", Long.toString(s.id()), "digest " + s.id(),
                        "the ledger's copy of the saved digest differs from it (digest rewritten)"));
            }
            if (s.version() == 1) {
                checkRoot(s, "saved digest");
            } else {
                // the saved digest on top of the kept ones before it, as it was made
                List<Digest> upTo = new ArrayList<>(v2.stream().filter(d -> d.id() < s.id()).toList());
                upTo.add(s);
                checkSequence(upTo, "saved digest", d -> d == s);
            }
        });
    }

    /**
     * Version 2 digests in order: each must name the one before it ({@code previous}, 0 for the first),
     * cover at least as much, and have the root of the tree that every delta so far makes
     * ({@link DigestDeltas}), recomputed from the rows as they are now. Breaks are reported for the
     * digests {@code reported} picks.
     */
    private void checkSequence(List<Digest> sequence, String table, java.util.function.Predicate<Digest> reported) {
        if (sequence.isEmpty()) {
            return;
        }
        List<DigestDeltas.Bounds> bounds = sequence.stream()
                .map(d -> new DigestDeltas.Bounds(d.position(), d.receiptPosition())).toList();
        List<DigestDeltas.Link> allLinks = new ArrayList<>();
        for (History h : histories) {
            for (int i = 0; i < h.positions().length; i++) {
                allLinks.add(new DigestDeltas.Link(h.aggregateId(), h.positions()[i], h.seqs()[i], h.links()[i]));
            }
        }
        List<DigestDeltas.ReceiptLeaf> receiptLeaves = receipts.values().stream()
                .map(r -> new DigestDeltas.ReceiptLeaf(r.auditSeq(), r.leafHash())).toList();
        List<DigestDeltas.Delta> deltas = DigestDeltas.deltas(bounds, allLinks, receiptLeaves);
        MerkleFrontier tree = MerkleFrontier.empty();
        long chains = 0;
        long covered = 0;
        Digest before = null;
        for (int k = 0; k < sequence.size(); k++) {
            Digest d = sequence.get(k);
            long previous = before == null ? 0 : before.id();
            if (reported.test(d) && d.previous() != previous) {
                breaks.add(new Break(table, "digest", Long.toString(d.id()), "digest " + d.id(),
                        "digest sequence broken: it extends digest " + d.previous() + ", the version 2 digest "
                        + "before it is " + (previous == 0 ? "none" : Long.toString(previous))
                        + " (a digest deleted or inserted)"));
            }
            if (reported.test(d) && before != null && (d.position() < before.position()
                    || d.receiptPosition() < before.receiptPosition())) {
                breaks.add(new Break(table, "digest", Long.toString(d.id()), "digest " + d.id(),
                        "digest covers less than the digest before it"));
            }
            DigestDeltas.Delta delta = deltas.get(k);
            tree.appendAll(delta.hashes());
            chains += delta.chains();
            covered += delta.receipts();
            if (reported.test(d) && (!Arrays.equals(tree.root(), d.root()) || chains != d.chains()
                    || covered != d.receipts())) {
                breaks.add(new Break(table, "digest", Long.toString(d.id()), "digest " + d.id(),
                        "history rewritten before this digest (its root over " + d.chains() + " chains and "
                        + d.receipts() + " receipts no longer matches the rows: " + chains + " chains, "
                        + covered + " receipts)"));
            }
            before = d;
        }
    }

    private void checkSignature(Digest d, Optional<PublicKey> trusted, String table) {
        PublicKey key;
        try {
            key = trusted.isPresent() ? trusted.get() : d.key();
        } catch (GeneralSecurityException e) {
            breaks.add(new Break(table, "digest", Long.toString(d.id()), "digest " + d.id(),
                    "digest signature invalid (its public key cannot be read)"));
            return;
        }
        if (trusted.isPresent() && !java.util.Arrays.equals(trusted.get().getEncoded(), d.publicKey())) {
            breaks.add(new Break(table, "digest", Long.toString(d.id()), "digest " + d.id(),
                    "digest names another public key than the trusted one"));
        }
        if (!Digest.ALGORITHM.equals(d.algorithm()) || !d.signedBy(key)) {
            breaks.add(new Break(table, "digest", Long.toString(d.id()), "digest " + d.id(),
                    "digest signature invalid"));
        }
    }

    private void checkRoot(Digest d, String table) {
        List<byte[]> leaves = new ArrayList<>();
        long chains = 0;
        for (History h : histories) {
            int head = lastAtOrBelow(h.positions(), d.position());
            if (head >= 0) {
                leaves.add(MerkleTree.leafHash(DigestLeaves.chainLeaf(h.aggregateId(), h.seqs()[head],
                        h.links()[head])));
                chains++;
            }
        }
        List<Map.Entry<String, ReceiptState>> covered = receipts.entrySet().stream()
                .filter(e -> e.getValue().auditSeq() <= d.receiptPosition())
                .sorted(Map.Entry.comparingByKey()).toList();
        covered.forEach(e -> leaves.add(e.getValue().leafHash()));
        byte[] root = MerkleTree.root(leaves);
        if (!Arrays.equals(root, d.root()) || chains != d.chains() || covered.size() != d.receipts()) {
            breaks.add(new Break(table, "digest", Long.toString(d.id()), "digest " + d.id(),
                    "history rewritten before this digest (its root over " + d.chains() + " chains and "
                    + d.receipts() + " receipts no longer matches the rows: " + chains + " chains, "
                    + covered.size() + " receipts)"));
        }
    }

    /** Index of the last event at or below the position (events of a stream are in position order). */
    private static int lastAtOrBelow(long[] positions, long position) {
        int found = -1;
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] <= position) {
                found = i;
            }
        }
        return found;
    }

    private void at(String[] named, String table, long seq, String what) {
        breaks.add(new Break(table, named[0], named[1], "sequence " + seq, what));
    }

    public static ChainEncoding.EventFields fields(EventRow e, byte[] payloadSha, String receiptId,
                                                  byte[] receiptSha) {
        return new ChainEncoding.EventFields(e.type(), e.aggregateId(), e.seq(), e.eventId(), e.payloadType(),
                e.payloadRevision(), e.timestamp(), payloadSha, ChainEncoding.sha256(e.metadata()), receiptId,
                receiptSha);
    }

    /** The receipt id in an event's metadata (the intake's {@code receiptId}), or null. */
    public static String receiptOf(EventRow e) {
        if (e.metadata() == null) {
            return null;
        }
        try {
            JsonNode receipt = JSON.readTree(e.metadata()).get(LedgerMetaData.RECEIPT_ID);
            return receipt == null || receipt.isNull() ? null : receipt.asText();
        } catch (java.io.IOException | RuntimeException notJson) {
            return null;
        }
    }

    public List<Break> breaks() {
        return List.copyOf(breaks);
    }

    public List<String> notes() {
        List<String> all = new ArrayList<>(notes);
        if (signaturesUnchecked > 0) {
            all.add(signaturesUnchecked + " stored provider signatures not verified again (give "
                    + "--ledger.webhook.public-key and --ledger.webhook.client-key)");
        }
        return all;
    }

    public long events() {
        return events;
    }

    public long links() {
        return links;
    }

    public int receipts() {
        return receipts.size();
    }
}
