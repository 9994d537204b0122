package com.qiledger.command.bankslip;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.qiledger.command.messages.bankslip.BankSlipEvent;
import com.qiledger.command.messages.bankslip.BankSlipFacts;
import com.qiledger.command.messages.bankslip.BankSlipNotaryPaymentNotified;
import com.qiledger.command.messages.bankslip.BankSlipPaid;
import com.qiledger.command.messages.bankslip.BankSlipPaymentNotified;
import com.qiledger.command.messages.bankslip.BankSlipRegistered;
import com.qiledger.command.messages.bankslip.BankSlipRejected;
import com.qiledger.command.messages.bankslip.BankSlipStatus;
import com.qiledger.command.messages.bankslip.BankSlipWrittenOff;
import com.qiledger.command.messages.bankslip.RecordBankSlipStatus;
import com.qiledger.command.messages.bankslip.WriteOffReason;
import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.RecordingResult;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A bank slip (boleto) as the provider reports it.
 *
 * <p>Webhooks arrive in any order and more than once, so the aggregate records every distinct fact
 * and derives the current status from the lifecycle, never from arrival order. Precedence, highest
 * first:
 * <ol>
 *   <li>{@code paid} — money settled; nothing later in the lifecycle can undo it;</li>
 *   <li>{@code written_off} and {@code rejected} — the slip ended without settlement;</li>
 *   <li>{@code payment_notice} and {@code notary_office_payment_notice} — paid, not yet settled;</li>
 *   <li>{@code registered}.</li>
 * </ol>
 * Between facts of equal rank the later provider event time wins, then the status order of
 * {@link BankSlipStatus} (a total order, so the outcome is the same for every arrival order). A late
 * {@code registered} is still recorded as a fact; it just never moves a paid slip back.
 */
@Aggregate
public class BankSlip {

    static final Comparator<Fact> PRECEDENCE = Comparator
            .comparingInt((Fact f) -> rank(f.status()))
            .thenComparing(Fact::occurredAt)
            .thenComparing(Fact::status);

    @AggregateIdentifier
    private String aggregateId;
    private final Set<Fact> known = new HashSet<>();
    private Fact current;

    protected BankSlip() {
        // for Axon: created empty, then sourced from events or handed a creating command
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public RecordingResult handle(RecordBankSlipStatus command) {
        Fact fact = new Fact(command.status(), command.occurredAt(), command.facts(), command.writeOffReason());
        if (known.contains(fact)) {
            return RecordingResult.ALREADY_RECORDED;
        }
        BankSlipStatus after = current == null || PRECEDENCE.compare(fact, current) > 0
                ? fact.status()
                : current.status();
        apply(eventFor(command, after));
        return RecordingResult.RECORDED;
    }

    private static BankSlipEvent eventFor(RecordBankSlipStatus c, BankSlipStatus after) {
        String key = c.bankSlipKey();
        Instant at = c.occurredAt();
        Instant rec = c.recordedAt();
        BankSlipFacts facts = c.facts();
        return switch (c.status()) {
            case REGISTERED -> new BankSlipRegistered(key, at, rec, facts, after);
            case REJECTED -> new BankSlipRejected(key, at, rec, facts, after);
            case PAYMENT_NOTICE -> new BankSlipPaymentNotified(key, at, rec, facts, after);
            case NOTARY_OFFICE_PAYMENT_NOTICE -> new BankSlipNotaryPaymentNotified(key, at, rec, facts, after);
            case PAID -> new BankSlipPaid(key, at, rec, facts, after);
            case WRITTEN_OFF -> new BankSlipWrittenOff(key, at, rec, facts, c.writeOffReason(), after);
        };
    }

    @EventSourcingHandler
    void on(BankSlipEvent event) {
        aggregateId = AggregateIds.of("BankSlip", event.bankSlipKey());
        Fact fact = new Fact(event.reportedStatus(), event.occurredAt(), event.facts(), event.writeOffReason());
        known.add(fact);
        if (current == null || PRECEDENCE.compare(fact, current) > 0) {
            current = fact;
        }
    }

    BankSlipStatus currentStatus() {
        return current == null ? null : current.status();
    }

    int knownFacts() {
        return known.size();
    }

    static int rank(BankSlipStatus status) {
        return switch (status) {
            case REGISTERED -> 1;
            case PAYMENT_NOTICE, NOTARY_OFFICE_PAYMENT_NOTICE -> 2;
            case REJECTED, WRITTEN_OFF -> 3;
            case PAID -> 4;
        };
    }

    /**
     * One fact as the provider stated it; equal facts are the same fact sent again. Hashed by status
     * and time only (equality still compares everything): the record's own hash walked every nested
     * record and amount, twice per delivery, 9 % of the intake committer's CPU (issue 20, JFR).
     */
    record Fact(BankSlipStatus status, Instant occurredAt, BankSlipFacts facts, WriteOffReason writeOffReason) {

        @Override
        public int hashCode() {
            return java.util.Objects.hash(status, occurredAt);
        }
    }
}
