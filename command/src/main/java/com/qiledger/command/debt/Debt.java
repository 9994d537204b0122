package com.qiledger.command.debt;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.RecordingResult;
import com.qiledger.command.messages.debt.Collateral;
import com.qiledger.command.messages.debt.CollateralCheck;
import com.qiledger.command.messages.debt.CollateralConstituted;
import com.qiledger.command.messages.debt.CollateralEvent;
import com.qiledger.command.messages.debt.CollateralReported;
import com.qiledger.command.messages.debt.DebtCanceled;
import com.qiledger.command.messages.debt.DebtCanceledPermanently;
import com.qiledger.command.messages.debt.DebtCommand;
import com.qiledger.command.messages.debt.DebtEvent;
import com.qiledger.command.messages.debt.DebtFactIgnoredAfterFinalState;
import com.qiledger.command.messages.debt.DebtFactType;
import com.qiledger.command.messages.debt.DebtStatus;
import com.qiledger.command.messages.debt.DisbursementRefusal;
import com.qiledger.command.messages.debt.DisbursementBankAccount;
import com.qiledger.command.messages.debt.DisbursementDateChangeRequested;
import com.qiledger.command.messages.debt.InvestmentFund;
import com.qiledger.command.messages.debt.PartnerCallAccepted;
import com.qiledger.command.messages.debt.PartnerCallAnswered;
import com.qiledger.command.messages.debt.PartnerCallAttemptFailed;
import com.qiledger.command.messages.debt.PartnerCallConfirmed;
import com.qiledger.command.messages.debt.PartnerCallGivenUp;
import com.qiledger.command.messages.debt.PartnerCallKind;
import com.qiledger.command.messages.debt.PartnerCallReceipt;
import com.qiledger.command.messages.debt.PartnerCallRefused;
import com.qiledger.command.messages.debt.PartnerCallRejected;
import com.qiledger.command.messages.debt.PartnerCallRequested;
import com.qiledger.command.messages.debt.PartnerCallState;
import com.qiledger.command.messages.debt.PermanentCancellationRequested;
import com.qiledger.command.messages.debt.PrivatePensionReservationFailed;
import com.qiledger.command.messages.debt.RecordCollateral;
import com.qiledger.command.messages.debt.RecordDebtCanceledPermanently;
import com.qiledger.command.messages.debt.RecordDebtCancellation;
import com.qiledger.command.messages.debt.RecordPartnerCallAnswer;
import com.qiledger.command.messages.debt.RecordReservationFailure;
import com.qiledger.command.messages.debt.RequestDisbursementDateChange;
import com.qiledger.command.messages.debt.RequestPermanentCancellation;
import com.qiledger.command.messages.debt.ReservationFailure;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
 * A debt (credit operation) with a private-pension collateral, keyed by the provider's debt key (the
 * webhooks' top-level {@code key}). Three webhooks report on it: {@code credit_operation.collateral},
 * {@code private_pension_failed_reservation} and {@code debt} (status {@code canceled} with a
 * disbursement refusal, or {@code canceled_permanently}).
 *
 * <p><b>Facts and resends.</b> Every webhook is one fact with an identity: its kind
 * ({@link DebtFactType}), its provider time and its content (never the ledger's receipt time). A fact
 * seen again, in any body, is {@link RecordingResult#ALREADY_RECORDED} and appends nothing; this holds
 * before and after the final state.
 *
 * <p><b>Status of non-final facts: order independent.</b> The status comes from the greatest
 * non-final fact in {@link #LATEST}: the later provider time wins; at the same instant the fixed rank
 * collateral reported &lt; collateral constituted &lt; reservation failed &lt; canceled (the later step
 * of the operation's life wins); then the greater content by its {@link Canonical} text. That order is
 * total and agrees with equality of facts, so any arrival order of the same facts, with any resends,
 * ends in the same status, the same current collateral and the same latest refusal.
 *
 * <p><b>Collateral.</b> The current collateral is the greatest collateral fact in the same order. If
 * the funds' {@code lock_gross_amount} do not add up (by value) to {@code total_gross_amount_lock},
 * the collateral is still recorded and becomes current as usual, flagged
 * {@link CollateralCheck#LOCKS_MISMATCH} with both figures: a data-quality flag, not a refusal.
 *
 * <p><b>Refusals.</b> Every refusal is kept (a disbursement resubmitted with
 * {@code change_disbursement_date} may be refused again); the latest is the greatest in {@link #LATEST}.
 *
 * <p><b>Canceled permanently is final.</b> Once it is recorded, any new fact for the debt is still
 * recorded, as {@link DebtFactIgnoredAfterFinalState} with the fact's kind, time and content, so that
 * auditors see it in the history, but it changes no state. So the status is
 * {@code canceled_permanently} whatever the order; what the debt held before that (collateral,
 * refusals) is what had arrived before the final fact, which is what the ledger knew when the
 * operation ended.
 *
 * <p><b>Partner calls.</b> An operator's request to the provider (cancel permanently, change the
 * disbursement date) is a command here: the debt's rules decide whether it may be asked at all
 * ({@link PartnerCallRejected}, nothing appended, nothing sent), then every answer the ledger's sender
 * got is recorded against it, once per attempt. The webhook that follows a call confirms it: a
 * {@code canceled_permanently} confirms the open permanent cancellation, a later disbursement
 * refusal ({@code canceled}) the open change of date asked before it. The calls change no
 * {@link DebtStatus}: only the provider's facts do.
 */
@Aggregate
public class Debt {

    static final Comparator<Fact> LATEST = Comparator
            .comparing(Fact::occurredAt)
            .thenComparingInt((Fact f) -> rank(f.status()))
            .thenComparing((Fact f) -> Canonical.text(f.content()));

    @AggregateIdentifier
    private String aggregateId;
    private final Set<Fact> known = new HashSet<>();
    private Fact statusFact;
    private Fact currentCollateral;
    private Fact latestRefusal;
    private boolean canceledPermanently;
    private int refusals;
    private int reservationFailures;
    private int ignoredAfterFinal;
    /** The partner calls asked for, in the order they were asked, by request id. */
    private final Map<String, Call> calls = new LinkedHashMap<>();

    /** The provider's zone: "a date in the past" is judged by its calendar. */
    static final ZoneId PROVIDER_ZONE = ZoneId.of("America/Sao_Paulo");
    static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    protected Debt() {
        // for Axon: created empty, then sourced from events or handed a creating command
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public RecordingResult handle(RecordCollateral command) {
        return record(command, Fact.collateral(command.occurredAt(), command.collateral()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public RecordingResult handle(RecordReservationFailure command) {
        return record(command, Fact.reservationFailure(command.occurredAt(), command.failure()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public RecordingResult handle(RecordDebtCancellation command) {
        return record(command, Fact.cancellation(command.occurredAt(), command.refusal()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public RecordingResult handle(RecordDebtCanceledPermanently command) {
        return record(command, Fact.permanentCancellation(command.occurredAt()));
    }

    private RecordingResult record(DebtCommand command, Fact fact) {
        if (known.contains(fact)) {
            return RecordingResult.ALREADY_RECORDED;
        }
        boolean wasFinal = canceledPermanently;
        apply(wasFinal ? ignored(command, fact) : eventFor(command, fact));
        if (!wasFinal) {
            confirmCallFollowedBy(command, fact);
        }
        return RecordingResult.RECORDED;
    }

    /**
     * The webhook that follows a call links to it: a permanent cancellation confirms the latest
     * permanent cancellation not refused (pending, accepted, or given up: the provider may have acted on
     * an attempt whose answer was lost); a disbursement refusal confirms the latest change of date asked
     * at or before the refusal's provider time and not refused.
     */
    private void confirmCallFollowedBy(DebtCommand command, Fact fact) {
        PartnerCallKind kind = switch (fact.type()) {
            case PERMANENT_CANCELLATION -> PartnerCallKind.CANCEL_PERMANENTLY;
            case CANCELLATION -> PartnerCallKind.CHANGE_DISBURSEMENT_DATE;
            default -> null;
        };
        if (kind == null) {
            return;
        }
        Call open = null;
        for (Call call : calls.values()) {
            boolean before = kind == PartnerCallKind.CANCEL_PERMANENTLY
                    || !call.requestedAt().isAfter(fact.occurredAt());
            if (call.kind() == kind && before && call.state() != PartnerCallState.REFUSED
                    && call.state() != PartnerCallState.CONFIRMED) {
                open = call;
            }
        }
        if (open != null) {
            apply(new PartnerCallConfirmed(command.debtKey(), open.requestId(), kind, fact.type(), command.occurredAt(),
                    command.recordedAt()));
        }
    }

    @CommandHandler
    public PartnerCallReceipt handle(RequestPermanentCancellation command) {
        Call earlier = calls.get(command.requestId());
        if (earlier != null) {
            return repeated(earlier, PartnerCallKind.CANCEL_PERMANENTLY, command.reason());
        }
        if (canceledPermanently) {
            throw new PartnerCallRejected(PartnerCallRejected.Reason.FINAL, null,
                    "the debt is already canceled permanently");
        }
        Call inFlight = cancellationInFlight();
        if (inFlight != null) {
            throw new PartnerCallRejected(PartnerCallRejected.Reason.IN_FLIGHT, null,
                    "a permanent cancellation is already " + inFlight.state().viewName() + " (request "
                            + inFlight.requestId() + ")");
        }
        apply(new PermanentCancellationRequested(command.debtKey(), command.requestId(), command.idempotencyKey(),
                command.requestedBy(), command.requestedAt(), command.requestedAt(), command.reason()));
        return new PartnerCallReceipt(command.requestId(), true);
    }

    @CommandHandler
    public PartnerCallReceipt handle(RequestDisbursementDateChange command) {
        DateChange asked = new DateChange(command.disbursementDate(), command.bankAccounts());
        Call earlier = calls.get(command.requestId());
        if (earlier != null) {
            return repeated(earlier, PartnerCallKind.CHANGE_DISBURSEMENT_DATE, asked);
        }
        if (canceledPermanently) {
            throw new PartnerCallRejected(PartnerCallRejected.Reason.FINAL, null,
                    "the debt is canceled permanently: its disbursement date cannot change");
        }
        Call inFlight = cancellationInFlight();
        if (inFlight != null) {
            throw new PartnerCallRejected(PartnerCallRejected.Reason.IN_FLIGHT, null,
                    "a permanent cancellation is " + inFlight.state().viewName() + " (request " + inFlight.requestId()
                            + "): the debt is about to be final");
        }
        LocalDate today = command.requestedAt().atZone(PROVIDER_ZONE).toLocalDate();
        if (command.disbursementDate().isBefore(today)) {
            throw new PartnerCallRejected(PartnerCallRejected.Reason.INVALID, "disbursement_date",
                    "disbursement_date " + command.disbursementDate() + " is in the past (today is " + today
                            + " in " + PROVIDER_ZONE + ")");
        }
        if (command.bankAccounts().isEmpty()) {
            throw new PartnerCallRejected(PartnerCallRejected.Reason.INVALID, "disbursement_bank_accounts",
                    "disbursement_bank_accounts must list at least one account");
        }
        BigDecimal total = BigDecimal.ZERO;
        for (DisbursementBankAccount account : command.bankAccounts()) {
            if (account.percentageReceivable() == null) {
                throw new PartnerCallRejected(PartnerCallRejected.Reason.INVALID,
                        "disbursement_bank_accounts[].percentage_receivable", "every account needs percentage_receivable");
            }
            total = total.add(account.percentageReceivable());
        }
        if (total.compareTo(HUNDRED) != 0) {
            throw new PartnerCallRejected(PartnerCallRejected.Reason.INVALID,
                    "disbursement_bank_accounts[].percentage_receivable",
                    "the accounts' percentage_receivable add up to " + total.toPlainString() + ", not 100");
        }
        apply(new DisbursementDateChangeRequested(command.debtKey(), command.requestId(), command.idempotencyKey(),
                command.requestedBy(), command.requestedAt(), command.requestedAt(), command.disbursementDate(),
                command.bankAccounts(), command.requestBody()));
        return new PartnerCallReceipt(command.requestId(), true);
    }

    /** The same request asked again under its idempotency key: the first answer, unless it asks for something else. */
    private static PartnerCallReceipt repeated(Call earlier, PartnerCallKind kind, Object asked) {
        if (earlier.kind() != kind || !Objects.equals(earlier.content(), asked)) {
            throw new PartnerCallRejected(PartnerCallRejected.Reason.IDEMPOTENCY_KEY_REUSED, null,
                    "this Idempotency-Key was used for request " + earlier.requestId() + ", which asked for "
                            + earlier.kind().providerName() + " with other values");
        }
        return new PartnerCallReceipt(earlier.requestId(), false);
    }

    private Call cancellationInFlight() {
        return calls.values().stream()
                .filter(c -> c.kind() == PartnerCallKind.CANCEL_PERMANENTLY)
                .filter(c -> c.state() == PartnerCallState.PENDING || c.state() == PartnerCallState.ACCEPTED)
                .findFirst()
                .orElse(null);
    }

    /**
     * One attempt's answer, recorded once: an attempt already recorded, or any answer after the call was
     * accepted, refused or given up, appends nothing. An answer after the webhook confirmed the call is
     * still recorded (the webhook overtook it) and the call stays confirmed.
     */
    @CommandHandler
    public RecordingResult handle(RecordPartnerCallAnswer command) {
        Call call = calls.get(command.requestId());
        if (call == null) {
            throw new IllegalArgumentException("debt " + command.debtKey() + " has no request " + command.requestId());
        }
        if (call.attemptsRecorded().contains(command.attempt()) || call.state() == PartnerCallState.ACCEPTED
                || call.state() == PartnerCallState.REFUSED || call.state() == PartnerCallState.GAVE_UP) {
            return RecordingResult.ALREADY_RECORDED;
        }
        boolean confirmed = call.state() == PartnerCallState.CONFIRMED;
        String key = command.debtKey();
        String id = command.requestId();
        Instant at = command.answeredAt();
        apply(switch (command.outcome()) {
            case ACCEPTED -> new PartnerCallAccepted(key, id, call.kind(), command.attempt(), command.status(),
                    command.responseBody(), command.error(), at, at,
                    confirmed ? PartnerCallState.CONFIRMED : PartnerCallState.ACCEPTED);
            case REFUSED -> new PartnerCallRefused(key, id, call.kind(), command.attempt(), command.status(),
                    command.responseBody(), command.error(), at, at,
                    confirmed ? PartnerCallState.CONFIRMED : PartnerCallState.REFUSED);
            case FAILED -> new PartnerCallAttemptFailed(key, id, call.kind(), command.attempt(), command.status(),
                    command.responseBody(), command.error(), at, at, call.state());
            case GAVE_UP -> new PartnerCallGivenUp(key, id, call.kind(), command.attempt(), command.status(),
                    command.responseBody(), command.error(), at, at,
                    confirmed ? PartnerCallState.CONFIRMED : PartnerCallState.GAVE_UP);
        });
        return RecordingResult.RECORDED;
    }

    private DebtEvent eventFor(DebtCommand c, Fact fact) {
        String key = c.debtKey();
        Instant at = c.occurredAt();
        Instant rec = c.recordedAt();
        return switch (fact.type()) {
            case COLLATERAL -> {
                Collateral collateral = (Collateral) fact.content();
                boolean current = isGreatest(fact, currentCollateral);
                yield Boolean.TRUE.equals(collateral.constituted())
                        ? new CollateralConstituted(key, at, rec, collateral, check(collateral), current,
                                statusAfter(fact))
                        : new CollateralReported(key, at, rec, collateral, check(collateral), current,
                                statusAfter(fact));
            }
            case RESERVATION_FAILURE -> new PrivatePensionReservationFailed(key, at, rec,
                    (ReservationFailure) fact.content(), statusAfter(fact));
            case CANCELLATION -> new DebtCanceled(key, at, rec, (DisbursementRefusal) fact.content(),
                    isGreatest(fact, latestRefusal), statusAfter(fact));
            case PERMANENT_CANCELLATION -> new DebtCanceledPermanently(key, at, rec);
        };
    }

    private static DebtFactIgnoredAfterFinalState ignored(DebtCommand c, Fact fact) {
        Object content = fact.content();
        return new DebtFactIgnoredAfterFinalState(c.debtKey(), fact.type(), c.occurredAt(), c.recordedAt(),
                content instanceof Collateral collateral ? collateral : null,
                content instanceof ReservationFailure failure ? failure : null,
                content instanceof DisbursementRefusal refusal ? refusal : null);
    }

    private DebtStatus statusAfter(Fact fact) {
        return (isGreatest(fact, statusFact) ? fact : statusFact).status();
    }

    private static boolean isGreatest(Fact fact, Fact greatestSoFar) {
        return greatestSoFar == null || LATEST.compare(fact, greatestSoFar) > 0;
    }

    /** Adds up the funds' locks; a total they do not reach (or exceed) is flagged, never refused. */
    static CollateralCheck check(Collateral collateral) {
        BigDecimal funds = collateral.investmentFunds().stream()
                .map(InvestmentFund::lockGrossAmount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        return new CollateralCheck(funds, funds.compareTo(collateral.totalGrossAmountLock()) == 0
                ? List.of()
                : List.of(CollateralCheck.LOCKS_MISMATCH));
    }

    @EventSourcingHandler
    void on(CollateralEvent event) {
        Fact fact = remember(event, Fact.collateral(event.occurredAt(), event.collateral()));
        if (isGreatest(fact, currentCollateral)) {
            currentCollateral = fact;
        }
    }

    @EventSourcingHandler
    void on(PrivatePensionReservationFailed event) {
        remember(event, Fact.reservationFailure(event.occurredAt(), event.failure()));
        reservationFailures++;
    }

    @EventSourcingHandler
    void on(DebtCanceled event) {
        Fact fact = remember(event, Fact.cancellation(event.occurredAt(), event.refusal()));
        refusals++;
        if (isGreatest(fact, latestRefusal)) {
            latestRefusal = fact;
        }
    }

    @EventSourcingHandler
    void on(DebtCanceledPermanently event) {
        remember(event, Fact.permanentCancellation(event.occurredAt()));
        canceledPermanently = true;
    }

    @EventSourcingHandler
    void on(DebtFactIgnoredAfterFinalState event) {
        Object content = switch (event.factType()) {
            case COLLATERAL -> event.collateral();
            case RESERVATION_FAILURE -> event.reservationFailure();
            case CANCELLATION -> event.refusal();
            case PERMANENT_CANCELLATION -> null;
        };
        aggregateId = AggregateIds.of(DebtCommand.AGGREGATE_TYPE, event.debtKey());
        known.add(new Fact(event.factType(), event.occurredAt(), content));
        ignoredAfterFinal++;
    }

    @EventSourcingHandler
    void on(PartnerCallRequested event) {
        Object content = event instanceof DisbursementDateChangeRequested change
                ? new DateChange(change.disbursementDate(), change.bankAccounts())
                : ((PermanentCancellationRequested) event).reason();
        calls.put(event.requestId(), new Call(event.requestId(), event.kind(), event.occurredAt(), content, Set.of(),
                PartnerCallState.PENDING));
    }

    @EventSourcingHandler
    void on(PartnerCallAnswered event) {
        calls.computeIfPresent(event.requestId(), (id, call) -> call.answered(event.attempt(), event.stateAfter()));
    }

    @EventSourcingHandler
    void on(PartnerCallConfirmed event) {
        calls.computeIfPresent(event.requestId(), (id, call) -> call.confirmed());
    }

    /** Holds a fact that changed the debt; non-final facts compete for the status. */
    private Fact remember(DebtEvent event, Fact fact) {
        aggregateId = AggregateIds.of(DebtCommand.AGGREGATE_TYPE, event.debtKey());
        known.add(fact);
        if (fact.type() != DebtFactType.PERMANENT_CANCELLATION && isGreatest(fact, statusFact)) {
            statusFact = fact;
        }
        return fact;
    }

    DebtStatus currentStatus() {
        if (canceledPermanently) {
            return DebtStatus.CANCELED_PERMANENTLY;
        }
        return statusFact == null ? null : statusFact.status();
    }

    boolean isFinal() {
        return canceledPermanently;
    }

    Collateral currentCollateral() {
        return currentCollateral == null ? null : (Collateral) currentCollateral.content();
    }

    DisbursementRefusal latestRefusal() {
        return latestRefusal == null ? null : (DisbursementRefusal) latestRefusal.content();
    }

    int refusals() {
        return refusals;
    }

    int reservationFailures() {
        return reservationFailures;
    }

    int ignoredAfterFinal() {
        return ignoredAfterFinal;
    }

    int knownFacts() {
        return known.size();
    }

    PartnerCallState callState(String requestId) {
        Call call = calls.get(requestId);
        return call == null ? null : call.state();
    }

    /** What a change of date asks for: an equal one under the same idempotency key is the same request. */
    private record DateChange(LocalDate date, List<DisbursementBankAccount> accounts) {
    }

    /** One partner call as the debt's rules need it; replaced, never changed, as its steps are sourced. */
    private record Call(String requestId, PartnerCallKind kind, Instant requestedAt, Object content,
                        Set<Integer> attemptsRecorded, PartnerCallState state) {

        Call {
            attemptsRecorded = Set.copyOf(attemptsRecorded);
        }

        Call answered(int attempt, PartnerCallState after) {
            Set<Integer> attempts = new HashSet<>(attemptsRecorded);
            attempts.add(attempt);
            return new Call(requestId, kind, requestedAt, content, attempts, after);
        }

        Call confirmed() {
            return new Call(requestId, kind, requestedAt, content, attemptsRecorded, PartnerCallState.CONFIRMED);
        }
    }

    static int rank(DebtStatus status) {
        return switch (status) {
            case COLLATERAL_REPORTED -> 1;
            case COLLATERAL_CONSTITUTED -> 2;
            case RESERVATION_FAILED -> 3;
            case CANCELED -> 4;
            case CANCELED_PERMANENTLY -> 5;
        };
    }

    /**
     * One fact as the provider stated it; equal facts are the same fact sent again. {@code content} is
     * the {@link Collateral}, {@link ReservationFailure} or {@link DisbursementRefusal} it carries (none
     * for a permanent cancellation, whose {@code data} is empty).
     */
    record Fact(DebtFactType type, Instant occurredAt, Object content) {

        /** By type and time only, equality still comparing the content (as BankSlip.Fact: issue 20). */
        @Override
        public int hashCode() {
            return java.util.Objects.hash(type, occurredAt);
        }

        static Fact collateral(Instant at, Collateral collateral) {
            return new Fact(DebtFactType.COLLATERAL, at, collateral);
        }

        static Fact reservationFailure(Instant at, ReservationFailure failure) {
            return new Fact(DebtFactType.RESERVATION_FAILURE, at, failure);
        }

        static Fact cancellation(Instant at, DisbursementRefusal refusal) {
            return new Fact(DebtFactType.CANCELLATION, at, refusal);
        }

        static Fact permanentCancellation(Instant at) {
            return new Fact(DebtFactType.PERMANENT_CANCELLATION, at, null);
        }

        DebtStatus status() {
            return switch (type) {
                case COLLATERAL -> Boolean.TRUE.equals(((Collateral) content).constituted())
                        ? DebtStatus.COLLATERAL_CONSTITUTED
                        : DebtStatus.COLLATERAL_REPORTED;
                case RESERVATION_FAILURE -> DebtStatus.RESERVATION_FAILED;
                case CANCELLATION -> DebtStatus.CANCELED;
                case PERMANENT_CANCELLATION -> DebtStatus.CANCELED_PERMANENTLY;
            };
        }
    }
}
