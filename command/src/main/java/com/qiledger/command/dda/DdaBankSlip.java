package com.qiledger.command.dda;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.RecordingResult;
import com.qiledger.command.messages.dda.DdaBankSlipEvent;
import com.qiledger.command.messages.dda.DdaBankSlipRegistered;
import com.qiledger.command.messages.dda.DdaBankSlipSnapshot;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.dda.DdaBankSlipUpdated;
import com.qiledger.command.messages.dda.DdaDataQualityFlag;
import com.qiledger.command.messages.dda.RecordDdaBankSlipSnapshot;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A bank slip issued against one of our clients' documents and seen through the DDA registry, keyed by
 * the webhook's top-level {@code key} (stream {@code DdaBankSlip:<key>}).
 *
 * <p><b>Snapshots, not transitions.</b> {@code baas.dda.bankslip.registration} and {@code .update} carry
 * no provider time: each is a snapshot of the whole slip at an unknown moment. Its identity is its
 * fingerprint, SHA-256 over a canonical rendering of the translated snapshot (see
 * {@link SnapshotFingerprint}), not over the raw bytes. A snapshot already known appends nothing
 * ({@link RecordingResult#ALREADY_RECORDED}), whichever webhook type carries it again. Whichever
 * snapshot arrives first creates the slip: an update before its registration is applied as it is.
 *
 * <p><b>Current state.</b> Without time, arrival order means nothing, so the current snapshot is the
 * greatest in {@link #PRECEDENCE}: the highest status rank, {@code paid} &gt; {@code written_off} &gt;
 * {@code partially_paid} &gt; {@code registered} (money settled cannot be undone; a write-off ends a
 * slip that was not settled; a partial payment happened after the registration), and between snapshots
 * of equal rank the greater fingerprint (arbitrary but fixed). That order is total and agrees with
 * snapshot identity, so every arrival order of the same snapshots, with any resends, ends in the same
 * state.
 *
 * <p><b>Partial payments.</b> Each distinct {@code partially_paid} snapshot is one partial payment of
 * its {@code total_payment_amount}; they accumulate (an exact sum, order free). Two partial payments
 * whose snapshots are identical in every field cannot be told apart without a provider time or id and
 * count once. When a {@code paid} snapshot exists it is the current one, and its
 * {@code total_payment_amount} is the settled amount.
 *
 * <p><b>Data quality.</b> A barcode that is not 44 digits, a digitable line that is not 47, a missing
 * one, or a payment snapshot without its amount is flagged on the event ({@link DataQuality}), never
 * refused: the slip exists at the provider whatever its fields look like. Document numbers (CPF/CNPJ)
 * are recorded in the events and never logged.
 */
@Aggregate
public class DdaBankSlip {

    static final String TYPE = RecordDdaBankSlipSnapshot.AGGREGATE_TYPE;

    static final Comparator<Ranked> PRECEDENCE = Comparator
            .comparingInt((Ranked r) -> rank(r.status()))
            .thenComparing(Ranked::fingerprint);

    @AggregateIdentifier
    private String aggregateId;
    private final Set<String> known = new HashSet<>();
    private Ranked current;
    private BigDecimal partiallyPaid = BigDecimal.ZERO;
    private int partialPayments;

    protected DdaBankSlip() {
        // for Axon: created empty, then sourced from events or handed a creating command
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public RecordingResult handle(RecordDdaBankSlipSnapshot command) {
        DdaBankSlipSnapshot snapshot = command.snapshot();
        String fingerprint = SnapshotFingerprint.of(snapshot);
        if (known.contains(fingerprint)) {
            return RecordingResult.ALREADY_RECORDED;
        }
        Ranked fact = new Ranked(snapshot.status(), fingerprint);
        boolean becomesCurrent = current == null || PRECEDENCE.compare(fact, current) > 0;
        DdaBankSlipStatus statusAfter = becomesCurrent ? fact.status() : current.status();
        BigDecimal partiallyPaidAfter = partiallyPaid.add(partialPayment(snapshot));
        List<DdaDataQualityFlag> flags = DataQuality.flags(snapshot);
        apply(command.isRegistration()
                ? new DdaBankSlipRegistered(command.slipKey(), command.recordedAt(), snapshot, fingerprint, flags,
                        statusAfter, becomesCurrent, partiallyPaidAfter)
                : new DdaBankSlipUpdated(command.slipKey(), command.webhookType(), command.recordedAt(), snapshot,
                        fingerprint, flags, statusAfter, becomesCurrent, partiallyPaidAfter));
        return RecordingResult.RECORDED;
    }

    @EventSourcingHandler
    void on(DdaBankSlipEvent event) {
        aggregateId = AggregateIds.of(TYPE, event.slipKey());
        known.add(event.fingerprint());
        Ranked fact = new Ranked(event.snapshot().status(), event.fingerprint());
        if (current == null || PRECEDENCE.compare(fact, current) > 0) {
            current = fact;
        }
        if (fact.status() == DdaBankSlipStatus.PARTIALLY_PAID) {
            partiallyPaid = partiallyPaid.add(partialPayment(event.snapshot()));
            partialPayments++;
        }
    }

    /** What a snapshot adds to the partial payments: its payment amount if it is one, else nothing. */
    private static BigDecimal partialPayment(DdaBankSlipSnapshot snapshot) {
        return snapshot.status() == DdaBankSlipStatus.PARTIALLY_PAID && snapshot.totalPaymentAmount() != null
                ? snapshot.totalPaymentAmount()
                : BigDecimal.ZERO;
    }

    static int rank(DdaBankSlipStatus status) {
        return switch (status) {
            case REGISTERED -> 1;
            case PARTIALLY_PAID -> 2;
            case WRITTEN_OFF -> 3;
            case PAID -> 4;
        };
    }

    DdaBankSlipStatus currentStatus() {
        return current == null ? null : current.status();
    }

    String currentFingerprint() {
        return current == null ? null : current.fingerprint();
    }

    BigDecimal partiallyPaidAmount() {
        return partiallyPaid;
    }

    int partialPayments() {
        return partialPayments;
    }

    int knownSnapshots() {
        return known.size();
    }

    /** What the precedence needs of a snapshot. */
    record Ranked(DdaBankSlipStatus status, String fingerprint) {
    }
}
