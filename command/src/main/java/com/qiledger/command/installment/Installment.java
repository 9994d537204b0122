package com.qiledger.command.installment;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.RecordingResult;
import com.qiledger.command.messages.installment.InstallmentBilling;
import com.qiledger.command.messages.installment.InstallmentBillingIssued;
import com.qiledger.command.messages.installment.InstallmentEvent;
import com.qiledger.command.messages.installment.InstallmentOccurrence;
import com.qiledger.command.messages.installment.InstallmentPayment;
import com.qiledger.command.messages.installment.InstallmentStatus;
import com.qiledger.command.messages.installment.InstallmentStatusChanged;
import com.qiledger.command.messages.installment.InstallmentStatusReport;
import com.qiledger.command.messages.installment.RecordInstallmentBilling;
import com.qiledger.command.messages.installment.RecordInstallmentStatusChange;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * An installment of a credit operation, keyed by the provider's {@code installment_key} and linked to
 * its debt by the webhook's top-level {@code key}. Two kinds of fact arrive, in any order and more than
 * once: status changes ({@code data.installment}) and billings ({@code data.status = "update"}). Each
 * distinct fact is recorded once (a fact seen again is {@code ALREADY_RECORDED}); everything the
 * installment shows is a function of the set of facts, never of their arrival order.
 *
 * <p><b>Current status.</b> The status-change fact greatest in {@link #LATEST} is current:
 * <ol>
 *   <li>the later {@code occurredAt} wins (the latest of the fact's event dates and payment times, see
 *       {@link InstallmentStatusReport#latestProviderTime()}); a fact without any time is older than
 *       every timed one. "A null time ties with everything" would not be an order: with it three facts
 *       can beat each other in a circle, and the arrival order would decide;</li>
 *   <li>at the same instant (or both without time), the higher status in the fixed rank
 *       {@code paid_overdue > paid > paid_early > paid_partial_overdue > paid_partial > overdue >
 *       waiting_payment > opened}: finished statuses outrank open ones;</li>
 *   <li>then the rest of the fact in a fixed field order, so that the order is total and agrees with
 *       equality of facts: which of two different reports at one instant is right cannot be known,
 *       the rule only makes the choice stable.</li>
 * </ol>
 * {@code is_finished} follows the current fact, except that once any fact said
 * {@code is_finished = true} the installment stays finished.
 *
 * <p><b>Payments</b> are kept one by one by {@code installment_payment_key}: a payment repeated in a
 * later webhook is the same payment and is counted once. Should the provider send one key with
 * different details, the version greatest in {@link #PAYMENT_ORDER} (later {@code paid_at}, then the
 * greater amount) stands, again whatever the arrival order. The paid amount is the sum of the
 * standing versions. <b>The installment's event list</b> is kept as a set of occurrences (identity:
 * type, event date, amount, creation time, old status, old due date).
 *
 * <p><b>Current billing.</b> Among the distinct billings (identity: their full content) the one
 * greatest in {@link #BILLING_ORDER} is current: the latest {@code due_date}, then the greater
 * {@code total_amount}, then the digitable line, then the remaining fields. Every billing is kept.
 *
 * <p>The debt key is part of every fact: the same content under another debt key is another fact, so
 * a provider that mislinks an installment leaves a visible trace instead of being silently ignored.
 */
@Aggregate
public class Installment {

    static final String TYPE = InstallmentEvent.AGGREGATE_TYPE;

    /** Amounts by value, then by scale (10.5 before 10.50), absent first. */
    private static final Comparator<BigDecimal> EXACT = Comparator
            .nullsFirst(Comparator.<BigDecimal>naturalOrder().thenComparingInt(BigDecimal::scale));

    private static <T extends Comparable<? super T>> Comparator<T> nullsFirst() {
        return Comparator.nullsFirst(Comparator.naturalOrder());
    }

    static final Comparator<InstallmentPayment> PAYMENT_ORDER = Comparator
            .comparing(InstallmentPayment::installmentPaymentKey)
            .thenComparing(InstallmentPayment::paidAt, nullsFirst())
            .thenComparing(InstallmentPayment::paidAmount, EXACT)
            .thenComparing(InstallmentPayment::paidMethodType, nullsFirst());

    static final Comparator<InstallmentOccurrence> OCCURRENCE_ORDER = Comparator
            .comparing(InstallmentOccurrence::eventDate, Installment.<Instant>nullsFirst())
            .thenComparing(InstallmentOccurrence::createdAt, nullsFirst())
            .thenComparing(InstallmentOccurrence::eventType, nullsFirst())
            .thenComparing(InstallmentOccurrence::amount, EXACT)
            .thenComparing(InstallmentOccurrence::oldStatus, nullsFirst())
            .thenComparing(InstallmentOccurrence::oldDueDate, nullsFirst());

    static final Comparator<StatusFact> LATEST = Comparator
            .comparing(StatusFact::occurredAt, Installment.<Instant>nullsFirst())
            .thenComparingInt(f -> rank(f.status()))
            .thenComparingInt(f -> rank(f.dataStatus()))
            .thenComparing(StatusFact::finished, nullsFirst())
            .thenComparing(StatusFact::dueDate, nullsFirst())
            .thenComparing(StatusFact::paidAt, nullsFirst())
            .thenComparing(StatusFact::debtKey)
            .thenComparing(StatusFact::occurrences, lexicographic(OCCURRENCE_ORDER))
            .thenComparing(StatusFact::payments, lexicographic(PAYMENT_ORDER));

    static final Comparator<InstallmentBilling> BILLING_CONTENT_ORDER = Comparator
            .comparing(InstallmentBilling::dueDate, Installment.<LocalDate>nullsFirst())
            .thenComparing(InstallmentBilling::totalAmount, EXACT)
            .thenComparing(InstallmentBilling::digitableLine, nullsFirst())
            .thenComparing(InstallmentBilling::bankSlipKey, nullsFirst())
            .thenComparing(InstallmentBilling::qrCodeKey, nullsFirst())
            .thenComparing(InstallmentBilling::qrCodeUrl, nullsFirst())
            .thenComparing(InstallmentBilling::principalAmortizationAmount, EXACT)
            .thenComparing(InstallmentBilling::preFixedAmount, EXACT);

    static final Comparator<BillingFact> BILLING_ORDER = Comparator
            .comparing(BillingFact::billing, BILLING_CONTENT_ORDER)
            .thenComparing(BillingFact::debtKey);

    @AggregateIdentifier
    private String aggregateId;
    private final Set<StatusFact> statusFacts = new HashSet<>();
    private StatusFact latest;
    private boolean finishedSaid;
    private final Set<InstallmentOccurrence> occurrences = new HashSet<>();
    private final Map<String, InstallmentPayment> payments = new HashMap<>();
    private final Set<BillingFact> billings = new HashSet<>();
    private BillingFact currentBilling;

    protected Installment() {
        // for Axon: created empty, then sourced from events or handed a creating command
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public RecordingResult handle(RecordInstallmentStatusChange command) {
        StatusFact fact = StatusFact.of(command.debtKey(), command.report());
        if (statusFacts.contains(fact)) {
            return RecordingResult.ALREADY_RECORDED;
        }
        boolean current = latest == null || LATEST.compare(fact, latest) > 0;
        InstallmentStatus after = current ? fact.status() : latest.status();
        boolean finishedAfter = finishedSaid || Boolean.TRUE.equals(fact.finished());

        List<InstallmentOccurrence> newOccurrences = new ArrayList<>();
        for (InstallmentOccurrence o : new LinkedHashSet<>(command.report().occurrences())) {
            if (!occurrences.contains(o)) {
                newOccurrences.add(o);
            }
        }
        Map<String, InstallmentPayment> merged = new HashMap<>(payments);
        mergePayments(merged, command.report().payments());
        Map<String, InstallmentPayment> changed = new LinkedHashMap<>();
        for (InstallmentPayment p : command.report().payments()) {
            InstallmentPayment standing = merged.get(p.installmentPaymentKey());
            if (!standing.equals(payments.get(p.installmentPaymentKey()))) {
                changed.put(p.installmentPaymentKey(), standing);
            }
        }
        apply(new InstallmentStatusChanged(command.installmentKey(), command.debtKey(), command.occurredAt(),
                command.recordedAt(), command.report(), current, after, finishedAfter, newOccurrences,
                new ArrayList<>(changed.values()), paidAmount(merged)));
        return RecordingResult.RECORDED;
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public RecordingResult handle(RecordInstallmentBilling command) {
        BillingFact fact = new BillingFact(command.debtKey(), command.billing());
        if (billings.contains(fact)) {
            return RecordingResult.ALREADY_RECORDED;
        }
        boolean current = currentBilling == null || BILLING_ORDER.compare(fact, currentBilling) > 0;
        apply(new InstallmentBillingIssued(command.installmentKey(), command.debtKey(), command.recordedAt(),
                command.billing(), current));
        return RecordingResult.RECORDED;
    }

    @EventSourcingHandler
    void on(InstallmentStatusChanged event) {
        aggregateId = AggregateIds.of(TYPE, event.installmentKey());
        StatusFact fact = StatusFact.of(event.debtKey(), event.report());
        statusFacts.add(fact);
        if (latest == null || LATEST.compare(fact, latest) > 0) {
            latest = fact;
        }
        finishedSaid |= Boolean.TRUE.equals(fact.finished());
        occurrences.addAll(event.report().occurrences());
        mergePayments(payments, event.report().payments());
    }

    @EventSourcingHandler
    void on(InstallmentBillingIssued event) {
        aggregateId = AggregateIds.of(TYPE, event.installmentKey());
        BillingFact fact = new BillingFact(event.debtKey(), event.billing());
        billings.add(fact);
        if (currentBilling == null || BILLING_ORDER.compare(fact, currentBilling) > 0) {
            currentBilling = fact;
        }
    }

    /** Each key keeps the greatest version seen, so the outcome does not depend on arrival order. */
    private static void mergePayments(Map<String, InstallmentPayment> into, List<InstallmentPayment> reported) {
        for (InstallmentPayment p : reported) {
            into.merge(p.installmentPaymentKey(), p, (a, b) -> PAYMENT_ORDER.compare(a, b) >= 0 ? a : b);
        }
    }

    private static BigDecimal paidAmount(Map<String, InstallmentPayment> standing) {
        return standing.values().stream()
                .map(InstallmentPayment::paidAmount)
                .filter(Objects::nonNull)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static int rank(InstallmentStatus status) {
        return switch (status) {
            case OPENED -> 1;
            case WAITING_PAYMENT -> 2;
            case OVERDUE -> 3;
            case PAID_PARTIAL -> 4;
            case PAID_PARTIAL_OVERDUE -> 5;
            case PAID_EARLY -> 6;
            case PAID -> 7;
            case PAID_OVERDUE -> 8;
        };
    }

    /** Compares two sets as their sorted lists, element by element, the shorter first on a common prefix. */
    private static <T> Comparator<Set<T>> lexicographic(Comparator<T> element) {
        return (a, b) -> {
            List<T> left = a.stream().sorted(element).toList();
            List<T> right = b.stream().sorted(element).toList();
            for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
                int c = element.compare(left.get(i), right.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(left.size(), right.size());
        };
    }

    InstallmentStatus currentStatus() {
        return latest == null ? null : latest.status();
    }

    StatusFact currentStatusFact() {
        return latest;
    }

    /** The current fact's {@code is_finished}, or true once any fact said so. */
    boolean finished() {
        return finishedSaid;
    }

    Map<String, InstallmentPayment> payments() {
        return Map.copyOf(payments);
    }

    BigDecimal paidAmount() {
        return paidAmount(payments);
    }

    Set<InstallmentOccurrence> occurrences() {
        return Set.copyOf(occurrences);
    }

    InstallmentBilling currentBilling() {
        return currentBilling == null ? null : currentBilling.billing();
    }

    Set<BillingFact> billings() {
        return Set.copyOf(billings);
    }

    int knownFacts() {
        return statusFacts.size() + billings.size();
    }

    /**
     * One status change as the provider stated it, lists taken as sets (the same webhook with its
     * lists in another order states the same fact); equal facts are the same fact sent again.
     */
    record StatusFact(
            String debtKey,
            InstallmentStatus status,
            InstallmentStatus dataStatus,
            Boolean finished,
            LocalDate dueDate,
            Instant paidAt,
            Set<InstallmentOccurrence> occurrences,
            Set<InstallmentPayment> payments,
            Instant occurredAt) {

        static StatusFact of(String debtKey, InstallmentStatusReport r) {
            return new StatusFact(debtKey, r.status(), r.dataStatus(), r.finished(), r.dueDate(), r.paidAt(),
                    Set.copyOf(r.occurrences()), Set.copyOf(r.payments()), r.latestProviderTime());
        }
    }

    /** One billing under one debt key; equal facts are the same billing sent again. */
    record BillingFact(String debtKey, InstallmentBilling billing) {
    }
}
