package com.qiledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.UnaryOperator;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The verifier's checks over a whole small ledger written as the write path writes it (receipts, events
 * with their links, a digest signed and saved by an auditor): intact it has no break, and every change
 * of one row (any protected column of any row of any of the four tables changed, or the row deleted, or
 * one row added) is found.
 */
class VerificationProperties {

    static final KeyPair KEY;

    static {
        try {
            KEY = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A ledger's rows, by table. */
    record Ledger(List<Verification.ReceiptRow> receipts, List<Verification.EventRow> events,
                  List<Verification.LinkRow> links, List<Digest> digests) {

        Ledger copy() {
            return new Ledger(new ArrayList<>(receipts), new ArrayList<>(events), new ArrayList<>(links),
                    new ArrayList<>(digests));
        }
    }

    static Ledger ledger(long seed) {
        return ledger(seed, 1);
    }

    /**
     * A ledger with its digests: one version 1 digest over everything, or (version 2) one to three
     * version 2 digests at random places, each extending the one before it, as the service makes them.
     */
    static Ledger ledger(long seed, int version) {
        Random random = new Random(seed);
        List<Verification.ReceiptRow> receipts = new ArrayList<>();
        int receiptCount = 1 + random.nextInt(4);
        for (int i = 0; i < receiptCount; i++) {
            byte[] body = ("{\"delivery\":" + random.nextInt(1000) + ",\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            boolean signed = random.nextBoolean();
            receipts.add(new Verification.ReceiptRow(new UUID(seed, i).toString(), body, ChainEncoding.sha256(body),
                    Instant.ofEpochSecond(1_767_614_400L + i, random.nextInt(1_000_000) * 1000L), "application/json",
                    "bank_slip.status_change", i + 1, signed ? "POST" : null, signed ? "/webhooks/qitech" : null,
                    signed ? "eyJ.e30.sig" + i : null, signed ? "client" : null));
        }
        String[] types = {"BankSlip", "Debt", "Installment"};
        int streamCount = 1 + random.nextInt(3);
        List<Verification.EventRow> events = new ArrayList<>();
        List<Verification.LinkRow> links = new ArrayList<>();
        Map<String, byte[]> heads = new HashMap<>();
        Map<String, Long> next = new LinkedHashMap<>();
        for (int s = 0; s < streamCount; s++) {
            next.put(types[s] + ":k-" + seed + "-" + s, 0L);
        }
        List<String> streams = new ArrayList<>(next.keySet());
        int eventCount = streamCount + random.nextInt(6);
        for (long position = 1; position <= eventCount; position++) {
            String stream = position <= streamCount ? streams.get((int) position - 1)
                    : streams.get(random.nextInt(streamCount));
            long seq = next.merge(stream, 1L, Long::sum) - 1;
            Verification.ReceiptRow receipt = receipts.get(random.nextInt(receipts.size()));
            byte[] metadata = ("{\"receiptId\":\"" + receipt.receiptId() + "\"}").getBytes(StandardCharsets.UTF_8);
            byte[] payload = ("{\"amount\":" + random.nextInt(10_000) + ".5}").getBytes(StandardCharsets.UTF_8);
            Verification.EventRow event = new Verification.EventRow(position, stream, seq, stream.split(":")[0],
                    UUID.nameUUIDFromBytes((stream + seq).getBytes(StandardCharsets.UTF_8)).toString(), metadata,
                    payload, random.nextBoolean() ? "1" : null, "com.qiledger.Event" + random.nextInt(3),
                    "2026-01-05T12:00:0" + seq + "Z");
            byte[] link = ChainEncoding.link(heads.getOrDefault(stream, ChainEncoding.GENESIS),
                    Verification.fields(event, ChainEncoding.sha256(payload), receipt.receiptId(), receipt.bodySha256()));
            heads.put(stream, link);
            events.add(event);
            links.add(new Verification.LinkRow(stream, seq, position, event.eventId(), receipt.receiptId(),
                    receipt.bodySha256(), ChainEncoding.sha256(payload), link));
        }
        Ledger unsigned = new Ledger(receipts, events, links, new ArrayList<>());
        // the digest's root as the service computes it: heads by stream order, then receipts by id
        List<byte[]> leaves = new ArrayList<>();
        TreeMap<String, Verification.LinkRow> last = new TreeMap<>(DigestLeaves.STREAM_ORDER);
        links.forEach(l -> last.merge(l.aggregateId(), l, (a, b) -> a.seq() > b.seq() ? a : b));
        last.values().forEach(l -> leaves.add(MerkleTree.leafHash(DigestLeaves.chainLeaf(l.aggregateId(), l.seq(),
                l.hash()))));
        receipts.stream().sorted(Comparator.comparing(Verification.ReceiptRow::receiptId)).forEach(r -> leaves.add(
                MerkleTree.leafHash(DigestLeaves.receiptLeaf(new DigestLeaves.ReceiptFields(r.receiptId(),
                        r.bodySha256(), r.receivedAt(), r.contentType(), r.webhookType(), r.signatureMethod(),
                        r.signatureUri(), r.signatureAuthorization(), r.signatureClientKey())))));
        if (version == 2) {
            unsigned.digests().addAll(versionTwo(new Random(seed * 31 + 7), receipts, links, eventCount));
            return unsigned;
        }
        Digest digest = new Digest(1, Instant.parse("2026-01-05T12:01:00Z"), eventCount, receiptCount, last.size(),
                receiptCount, MerkleTree.root(leaves), Digest.ALGORITHM, KEY.getPublic().getEncoded(), new byte[0]);
        unsigned.digests().add(signed(digest));
        return unsigned;
    }

    /**
     * Version 2 digests as Digests.create makes them, one at a time: each reads only the links and
     * receipts since the one before it (DigestDeltas.delta) and extends the tree kept with it (its
     * frontier, through its stored bytes); the last covers everything.
     */
    static List<Digest> versionTwo(Random random, List<Verification.ReceiptRow> receipts,
                                   List<Verification.LinkRow> links, long eventCount) {
        int count = 1 + random.nextInt(3);
        long[] positions = new long[count];
        long[] receiptPositions = new long[count];
        for (int k = 0; k < count; k++) {
            positions[k] = k == count - 1 ? eventCount : random.nextInt((int) eventCount + 1);
            receiptPositions[k] = k == count - 1 ? receipts.size() : random.nextInt(receipts.size() + 1);
        }
        java.util.Arrays.sort(positions);
        java.util.Arrays.sort(receiptPositions);
        List<Digest> digests = new ArrayList<>();
        MerkleFrontier tree = MerkleFrontier.empty();
        long chains = 0;
        long covered = 0;
        long fromPosition = 0;
        long fromReceipts = 0;
        for (int k = 0; k < count; k++) {
            long p = positions[k];
            long rp = receiptPositions[k];
            long from = fromPosition;
            long fromR = fromReceipts;
            List<DigestDeltas.Link> delta = links.stream().filter(l -> l.globalIndex() > from && l.globalIndex() <= p)
                    .map(l -> new DigestDeltas.Link(l.aggregateId(), l.globalIndex(), l.seq(), l.hash())).toList();
            List<byte[]> newReceipts = receipts.stream().filter(r -> r.auditSeq() > fromR && r.auditSeq() <= rp)
                    .sorted(Comparator.comparingLong(Verification.ReceiptRow::auditSeq))
                    .map(r -> MerkleTree.leafHash(DigestLeaves.receiptLeaf(new DigestLeaves.ReceiptFields(
                            r.receiptId(), r.bodySha256(), r.receivedAt(), r.contentType(), r.webhookType(),
                            r.signatureMethod(), r.signatureUri(), r.signatureAuthorization(),
                            r.signatureClientKey())))).toList();
            DigestDeltas.Delta d = DigestDeltas.delta(delta, newReceipts);
            tree = MerkleFrontier.decode(tree.size(), tree.encoded()).appendAll(d.hashes());
            chains += d.chains();
            covered += d.receipts();
            digests.add(signed(new Digest(2, 10 + k, k == 0 ? 0 : 10 + k - 1,
                    Instant.parse("2026-01-05T12:01:00Z").plusSeconds(60L * k), p, rp, chains, covered, tree.root(),
                    Digest.ALGORITHM, KEY.getPublic().getEncoded(), new byte[0])));
            fromPosition = p;
            fromReceipts = rp;
        }
        return digests;
    }

    static Digest signed(Digest d) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(KEY.getPrivate());
            s.update(d.statement());
            return d.signed(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every check of the verifier over these rows, with the digest the auditor saved when it was made. */
    static List<Verification.Break> verify(Ledger ledger, Digest saved) {
        Verification v = new Verification();
        ledger.receipts().forEach(v::receipt);
        TreeMap<String, List<Verification.EventRow>> events = new TreeMap<>(DigestLeaves.STREAM_ORDER);
        TreeMap<String, List<Verification.LinkRow>> links = new TreeMap<>(DigestLeaves.STREAM_ORDER);
        ledger.events().forEach(e -> events.computeIfAbsent(e.aggregateId(), k -> new ArrayList<>()).add(e));
        ledger.links().forEach(l -> links.computeIfAbsent(l.aggregateId(), k -> new ArrayList<>()).add(l));
        TreeMap<String, Boolean> streams = new TreeMap<>(DigestLeaves.STREAM_ORDER);
        events.keySet().forEach(s -> streams.put(s, true));
        links.keySet().forEach(s -> streams.put(s, true));
        for (String stream : streams.keySet()) {
            List<Verification.EventRow> e = new ArrayList<>(events.getOrDefault(stream, List.of()));
            e.sort(Comparator.comparingLong(Verification.EventRow::seq));
            List<Verification.LinkRow> l = new ArrayList<>(links.getOrDefault(stream, List.of()));
            l.sort(Comparator.comparingLong(Verification.LinkRow::seq));
            v.stream(stream, e, l);
        }
        v.digests(new ArrayList<>(ledger.digests()), Optional.of(saved), Optional.of(KEY.getPublic()), 50);
        return v.breaks();
    }

    @Property(tries = 200)
    void anIntactLedgerHasNoBreak(@ForAll long seed) {
        Ledger ledger = ledger(seed);
        assertThat(verify(ledger, ledger.digests().get(0))).isEmpty();
    }

    @Property(tries = 1000)
    void everyChangeOfOneRowIsFound(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int table,
                                    @ForAll @IntRange(min = 0, max = 1000) int row,
                                    @ForAll @IntRange(min = 0, max = 12) int column,
                                    @ForAll @IntRange(min = 0, max = 1000) int bit) {
        Ledger ledger = ledger(seed);
        Digest saved = ledger.digests().get(0);
        Ledger changed = ledger.copy();
        String change = change(changed, table, row, column, bit);
        assertThat(verify(changed, saved)).as(change).isNotEmpty();
    }

    @Example
    void everyColumnOfEveryTableIsChangedSomewhere() {
        // the property's choices reach every column of every table (its changes are not a subset)
        for (int table = 0; table <= 3; table++) {
            for (int column = 0; column <= 12; column++) {
                Ledger ledger = ledger(table * 100L + column);
                Digest saved = ledger.digests().get(0);
                Ledger changed = ledger.copy();
                String change = change(changed, table, 0, column, 7);
                assertThat(verify(changed, saved)).as(change).isNotEmpty();
            }
        }
    }

    @Property(tries = 300)
    void anIntactLedgerWithVersionTwoDigestsHasNoBreak(@ForAll long seed) {
        Ledger ledger = ledger(seed, 2);
        Digest last = ledger.digests().get(ledger.digests().size() - 1);
        assertThat(verify(ledger, last)).isEmpty();
        assertThat(verify(ledger, ledger.digests().get(0))).as("an earlier digest saved").isEmpty();
        // what a proof reads at once (every delta) is the tree the digests made one at a time
        List<byte[]> all = new ArrayList<>();
        List<DigestDeltas.Link> links = ledger.links().stream()
                .map(l -> new DigestDeltas.Link(l.aggregateId(), l.globalIndex(), l.seq(), l.hash())).toList();
        List<DigestDeltas.ReceiptLeaf> receipts = ledger.receipts().stream()
                .map(r -> new DigestDeltas.ReceiptLeaf(r.auditSeq(), MerkleTree.leafHash(DigestLeaves.receiptLeaf(
                        new DigestLeaves.ReceiptFields(r.receiptId(), r.bodySha256(), r.receivedAt(), r.contentType(),
                                r.webhookType(), r.signatureMethod(), r.signatureUri(), r.signatureAuthorization(),
                                r.signatureClientKey()))))).toList();
        List<DigestDeltas.Bounds> bounds = ledger.digests().stream()
                .map(d -> new DigestDeltas.Bounds(d.position(), d.receiptPosition())).toList();
        DigestDeltas.deltas(bounds, links, receipts).forEach(d -> all.addAll(d.hashes()));
        assertThat(MerkleTree.root(all)).isEqualTo(last.root());
        assertThat((long) all.size()).isEqualTo(last.chains() + last.receipts());
    }

    @Property(tries = 1000)
    void everyChangeOfOneRowIsFoundUnderVersionTwoDigests(@ForAll long seed,
                                                          @ForAll @IntRange(min = 0, max = 3) int table,
                                                          @ForAll @IntRange(min = 0, max = 1000) int row,
                                                          @ForAll @IntRange(min = 0, max = 12) int column,
                                                          @ForAll @IntRange(min = 0, max = 1000) int bit) {
        Ledger ledger = ledger(seed, 2);
        Digest saved = ledger.digests().get(ledger.digests().size() - 1);
        Ledger changed = ledger.copy();
        String change = change(changed, table, row, column, bit);
        assertThat(verify(changed, saved)).as(change).isNotEmpty();
    }

    @Example
    void aDeletedOrReorderedVersionTwoDigestBreaksTheSequence() {
        Ledger ledger = null;
        for (long seed = 0; ledger == null || ledger.digests().size() < 3; seed++) {
            ledger = ledger(seed, 2);
        }
        Digest last = ledger.digests().get(2);
        Ledger missing = ledger.copy();
        missing.digests().remove(1);
        assertThat(verify(missing, last)).extracting(Verification.Break::what)
                .contains("digest sequence broken: it extends digest 11, the version 2 digest before it is 10 "
                        + "(a digest deleted or inserted)");
    }

    /** Changes one row of one table: a column, or the row deleted (column 0), or a row added (column 1 of events). */
    static String change(Ledger l, int table, int row, int column, int bit) {
        switch (table) {
            case 0 -> {
                int i = row % l.receipts().size();
                Verification.ReceiptRow r = l.receipts().get(i);
                if (column == 0) {
                    l.receipts().remove(i);
                    return "receipt " + i + " deleted";
                }
                Verification.ReceiptRow c = switch (column % 11) {
                    case 1 -> new Verification.ReceiptRow(str(r.receiptId(), bit), r.body(), r.bodySha256(),
                            r.receivedAt(), r.contentType(), r.webhookType(), r.auditSeq(), r.signatureMethod(),
                            r.signatureUri(), r.signatureAuthorization(), r.signatureClientKey());
                    case 2 -> new Verification.ReceiptRow(r.receiptId(), flip(r.body(), bit), r.bodySha256(),
                            r.receivedAt(), r.contentType(), r.webhookType(), r.auditSeq(), r.signatureMethod(),
                            r.signatureUri(), r.signatureAuthorization(), r.signatureClientKey());
                    case 3 -> new Verification.ReceiptRow(r.receiptId(), r.body(), flip(r.bodySha256(), bit),
                            r.receivedAt(), r.contentType(), r.webhookType(), r.auditSeq(), r.signatureMethod(),
                            r.signatureUri(), r.signatureAuthorization(), r.signatureClientKey());
                    case 4 -> new Verification.ReceiptRow(r.receiptId(), r.body(), r.bodySha256(),
                            r.receivedAt().plusNanos(1000L * (1 + bit)), r.contentType(), r.webhookType(),
                            r.auditSeq(), r.signatureMethod(), r.signatureUri(), r.signatureAuthorization(),
                            r.signatureClientKey());
                    case 5 -> new Verification.ReceiptRow(r.receiptId(), r.body(), r.bodySha256(), r.receivedAt(),
                            str(r.contentType(), bit), r.webhookType(), r.auditSeq(), r.signatureMethod(),
                            r.signatureUri(), r.signatureAuthorization(), r.signatureClientKey());
                    case 6 -> new Verification.ReceiptRow(r.receiptId(), r.body(), r.bodySha256(), r.receivedAt(),
                            r.contentType(), str(r.webhookType(), bit), r.auditSeq(), r.signatureMethod(),
                            r.signatureUri(), r.signatureAuthorization(), r.signatureClientKey());
                    case 7 -> new Verification.ReceiptRow(r.receiptId(), r.body(), r.bodySha256(), r.receivedAt(),
                            r.contentType(), r.webhookType(), r.auditSeq() + 1000, r.signatureMethod(),
                            r.signatureUri(), r.signatureAuthorization(), r.signatureClientKey());
                    case 8 -> new Verification.ReceiptRow(r.receiptId(), r.body(), r.bodySha256(), r.receivedAt(),
                            r.contentType(), r.webhookType(), r.auditSeq(), str(r.signatureMethod(), bit),
                            r.signatureUri(), r.signatureAuthorization(), r.signatureClientKey());
                    case 9 -> new Verification.ReceiptRow(r.receiptId(), r.body(), r.bodySha256(), r.receivedAt(),
                            r.contentType(), r.webhookType(), r.auditSeq(), r.signatureMethod(),
                            str(r.signatureUri(), bit), r.signatureAuthorization(), r.signatureClientKey());
                    case 10 -> new Verification.ReceiptRow(r.receiptId(), r.body(), r.bodySha256(), r.receivedAt(),
                            r.contentType(), r.webhookType(), r.auditSeq(), r.signatureMethod(), r.signatureUri(),
                            str(r.signatureAuthorization(), bit), r.signatureClientKey());
                    default -> new Verification.ReceiptRow(r.receiptId(), r.body(), r.bodySha256(), r.receivedAt(),
                            r.contentType(), r.webhookType(), r.auditSeq(), r.signatureMethod(), r.signatureUri(),
                            r.signatureAuthorization(), str(r.signatureClientKey(), bit));
                };
                l.receipts().set(i, c);
                return "receipt " + i + " column " + column % 11 + " changed";
            }
            case 1 -> {
                int i = row % l.events().size();
                Verification.EventRow e = l.events().get(i);
                if (column == 0) {
                    l.events().remove(i);
                    return "event " + i + " deleted";
                }
                if (column == 1) {
                    long seq = l.events().stream().filter(x -> x.aggregateId().equals(e.aggregateId()))
                            .mapToLong(Verification.EventRow::seq).max().orElse(0) + 1;
                    l.events().add(new Verification.EventRow(1000, e.aggregateId(), seq, e.type(), "forged",
                            e.metadata(), e.payload(), e.payloadRevision(), e.payloadType(), e.timestamp()));
                    return "event added after " + i;
                }
                Verification.EventRow c = switch (column % 11) {
                    case 2 -> new Verification.EventRow(e.globalIndex() + 1 + bit, e.aggregateId(), e.seq(), e.type(),
                            e.eventId(), e.metadata(), e.payload(), e.payloadRevision(), e.payloadType(), e.timestamp());
                    case 3 -> new Verification.EventRow(e.globalIndex(), str(e.aggregateId(), bit), e.seq(), e.type(),
                            e.eventId(), e.metadata(), e.payload(), e.payloadRevision(), e.payloadType(), e.timestamp());
                    case 4 -> new Verification.EventRow(e.globalIndex(), e.aggregateId(), e.seq() + 1 + bit % 3,
                            e.type(), e.eventId(), e.metadata(), e.payload(), e.payloadRevision(), e.payloadType(),
                            e.timestamp());
                    case 5 -> new Verification.EventRow(e.globalIndex(), e.aggregateId(), e.seq(), str(e.type(), bit),
                            e.eventId(), e.metadata(), e.payload(), e.payloadRevision(), e.payloadType(), e.timestamp());
                    case 6 -> new Verification.EventRow(e.globalIndex(), e.aggregateId(), e.seq(), e.type(),
                            str(e.eventId(), bit), e.metadata(), e.payload(), e.payloadRevision(), e.payloadType(),
                            e.timestamp());
                    case 7 -> new Verification.EventRow(e.globalIndex(), e.aggregateId(), e.seq(), e.type(),
                            e.eventId(), flip(e.metadata(), bit), e.payload(), e.payloadRevision(), e.payloadType(),
                            e.timestamp());
                    case 8 -> new Verification.EventRow(e.globalIndex(), e.aggregateId(), e.seq(), e.type(),
                            e.eventId(), e.metadata(), flip(e.payload(), bit), e.payloadRevision(), e.payloadType(),
                            e.timestamp());
                    case 9 -> new Verification.EventRow(e.globalIndex(), e.aggregateId(), e.seq(), e.type(),
                            e.eventId(), e.metadata(), e.payload(), str(e.payloadRevision(), bit), e.payloadType(),
                            e.timestamp());
                    case 10 -> new Verification.EventRow(e.globalIndex(), e.aggregateId(), e.seq(), e.type(),
                            e.eventId(), e.metadata(), e.payload(), e.payloadRevision(), str(e.payloadType(), bit),
                            e.timestamp());
                    default -> new Verification.EventRow(e.globalIndex(), e.aggregateId(), e.seq(), e.type(),
                            e.eventId(), e.metadata(), e.payload(), e.payloadRevision(), e.payloadType(),
                            str(e.timestamp(), bit));
                };
                l.events().set(i, c);
                return "event " + i + " column " + column % 11 + " changed";
            }
            case 2 -> {
                int i = row % l.links().size();
                Verification.LinkRow k = l.links().get(i);
                if (column == 0) {
                    l.links().remove(i);
                    return "link " + i + " deleted";
                }
                Verification.LinkRow c = switch (column % 8) {
                    case 1 -> new Verification.LinkRow(str(k.aggregateId(), bit), k.seq(), k.globalIndex(),
                            k.eventId(), k.receiptId(), k.receiptSha256(), k.payloadSha256(), k.hash());
                    case 2 -> new Verification.LinkRow(k.aggregateId(), k.seq() + 1 + bit % 3, k.globalIndex(),
                            k.eventId(), k.receiptId(), k.receiptSha256(), k.payloadSha256(), k.hash());
                    case 3 -> new Verification.LinkRow(k.aggregateId(), k.seq(), k.globalIndex() + 1 + bit,
                            k.eventId(), k.receiptId(), k.receiptSha256(), k.payloadSha256(), k.hash());
                    case 4 -> new Verification.LinkRow(k.aggregateId(), k.seq(), k.globalIndex(),
                            str(k.eventId(), bit), k.receiptId(), k.receiptSha256(), k.payloadSha256(), k.hash());
                    case 5 -> new Verification.LinkRow(k.aggregateId(), k.seq(), k.globalIndex(), k.eventId(),
                            str(k.receiptId(), bit), k.receiptSha256(), k.payloadSha256(), k.hash());
                    case 6 -> new Verification.LinkRow(k.aggregateId(), k.seq(), k.globalIndex(), k.eventId(),
                            k.receiptId(), flip(k.receiptSha256(), bit), k.payloadSha256(), k.hash());
                    case 7 -> new Verification.LinkRow(k.aggregateId(), k.seq(), k.globalIndex(), k.eventId(),
                            k.receiptId(), k.receiptSha256(), flip(k.payloadSha256(), bit), k.hash());
                    default -> new Verification.LinkRow(k.aggregateId(), k.seq(), k.globalIndex(), k.eventId(),
                            k.receiptId(), k.receiptSha256(), k.payloadSha256(), flip(k.hash(), bit));
                };
                l.links().set(i, c);
                return "link " + i + " column " + column % 8 + " changed";
            }
            default -> {
                Digest d = l.digests().get(0);
                UnaryOperator<Digest> edit = switch (column % 11) {
                    case 0 -> x -> null;
                    case 1 -> x -> copy(x, x.id() + 1, x.createdAt(), x.position(), x.receiptPosition(), x.chains(),
                            x.receipts(), x.root(), x.algorithm(), x.publicKey(), x.signature());
                    case 2 -> x -> copy(x, x.id(), x.createdAt().plusMillis(1), x.position(), x.receiptPosition(),
                            x.chains(), x.receipts(), x.root(), x.algorithm(), x.publicKey(), x.signature());
                    case 3 -> x -> copy(x, x.id(), x.createdAt(), x.position() - 1, x.receiptPosition(), x.chains(),
                            x.receipts(), x.root(), x.algorithm(), x.publicKey(), x.signature());
                    case 4 -> x -> copy(x, x.id(), x.createdAt(), x.position(), x.receiptPosition() - 1, x.chains(),
                            x.receipts(), x.root(), x.algorithm(), x.publicKey(), x.signature());
                    case 5 -> x -> copy(x, x.id(), x.createdAt(), x.position(), x.receiptPosition(), x.chains() + 1,
                            x.receipts(), x.root(), x.algorithm(), x.publicKey(), x.signature());
                    case 6 -> x -> copy(x, x.id(), x.createdAt(), x.position(), x.receiptPosition(), x.chains(),
                            x.receipts() + 1, x.root(), x.algorithm(), x.publicKey(), x.signature());
                    case 7 -> x -> copy(x, x.id(), x.createdAt(), x.position(), x.receiptPosition(), x.chains(),
                            x.receipts(), flip(x.root(), bit), x.algorithm(), x.publicKey(), x.signature());
                    case 8 -> x -> copy(x, x.id(), x.createdAt(), x.position(), x.receiptPosition(), x.chains(),
                            x.receipts(), x.root(), "ECDSA", x.publicKey(), x.signature());
                    case 9 -> x -> copy(x, x.id(), x.createdAt(), x.position(), x.receiptPosition(), x.chains(),
                            x.receipts(), x.root(), x.algorithm(), flip(x.publicKey(), bit), x.signature());
                    default -> x -> copy(x, x.id(), x.createdAt(), x.position(), x.receiptPosition(), x.chains(),
                            x.receipts(), x.root(), x.algorithm(), x.publicKey(), flip(x.signature(), bit));
                };
                Digest changed = edit.apply(d);
                if (changed == null) {
                    l.digests().clear();
                    return "digest deleted";
                }
                l.digests().set(0, changed);
                return "digest column " + column % 11 + " changed";
            }
        }
    }

    /** The digest with these fields, in its own version and after the same digest. */
    static Digest copy(Digest x, long id, Instant createdAt, long position, long receiptPosition, long chains,
                       long receipts, byte[] root, String algorithm, byte[] publicKey, byte[] signature) {
        return new Digest(x.version(), id, x.previous(), createdAt, position, receiptPosition, chains, receipts, root,
                algorithm, publicKey, signature);
    }

    static byte[] flip(byte[] bytes, int bit) {
        if (bytes == null || bytes.length == 0) {
            return new byte[] {(byte) bit};
        }
        byte[] copy = bytes.clone();
        int at = (bit / 8) % copy.length;
        copy[at] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    static String str(String s, int bit) {
        return s == null ? "x" + bit : s + (char) ('a' + bit % 26);
    }
}
