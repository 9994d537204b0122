package com.qiledger.command.debt;

import static com.qiledger.command.debt.DebtSamples.KEY;
import static com.qiledger.command.debt.DebtSamples.RECORDED;
import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.common.RecordingResult;
import com.qiledger.command.messages.debt.Collateral;
import com.qiledger.command.messages.debt.DebtCommand;
import com.qiledger.command.messages.debt.DebtStatus;
import com.qiledger.command.messages.debt.DisbursementRefusal;
import com.qiledger.command.messages.debt.PixRefusal;
import com.qiledger.command.messages.debt.RecordCollateral;
import com.qiledger.command.messages.debt.RecordDebtCanceledPermanently;
import com.qiledger.command.messages.debt.RecordDebtCancellation;
import com.qiledger.command.messages.debt.RecordReservationFailure;
import com.qiledger.command.messages.debt.ReservationFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.axonframework.test.aggregate.AggregateTestFixture;

/**
 * Out-of-order delivery is normal: whatever order the facts of one debt arrive in, and however often
 * each is resent, the debt ends in the same state; and once {@code canceled_permanently} is among the
 * facts, the status is {@code canceled_permanently} whatever the order. Few distinct times and amounts
 * equal in value but not in scale make ties common on purpose.
 */
class DebtOrderProperties {

    record Arrivals(List<DebtCommand> facts, long shuffleSeed, int resends) {

        List<DebtCommand> shuffledWithResends() {
            List<DebtCommand> arrival = new ArrayList<>(facts);
            Random random = new Random(shuffleSeed);
            for (int i = 0; i < resends; i++) {
                arrival.add((DebtCommand) DebtTest.resentLater(arrival.get(random.nextInt(arrival.size()))));
            }
            Collections.shuffle(arrival, random);
            return arrival;
        }
    }

    /** What an aggregate ends with, to compare two arrival orders. */
    record Outcome(DebtStatus status, boolean isFinal, Collateral collateral, DisbursementRefusal latestRefusal,
                   int refusals, int reservationFailures, int ignoredAfterFinal, int knownFacts) {

        static Outcome of(Debt debt) {
            return new Outcome(debt.currentStatus(), debt.isFinal(), debt.currentCollateral(), debt.latestRefusal(),
                    debt.refusals(), debt.reservationFailures(), debt.ignoredAfterFinal(), debt.knownFacts());
        }
    }

    static Instant hour(int h) {
        return Instant.parse("2025-03-18T19:00:00Z").plusSeconds(h * 3600L);
    }

    @Provide
    Arbitrary<DebtCommand> nonFinalFact() {
        Arbitrary<Instant> at = Arbitraries.integers().between(0, 3).map(DebtOrderProperties::hour);
        Arbitrary<Collateral> collateral = Combinators.combine(
                        Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.2),
                        Arbitraries.of("1500", "1500.00", "1600"),
                        Arbitraries.of("500", "500.00"))
                .as((constituted, total, lock) -> DebtSamples.collateral(constituted, total, lock, "500", "500"));
        Arbitrary<ReservationFailure> failure = Arbitraries.of(
                DebtSamples.SEED_FAILURE, new ReservationFailure("failed", "other", null));
        Arbitrary<DisbursementRefusal> refusal = Arbitraries.of(DebtSamples.SEED_TED, DebtSamples.SEED_PIX,
                DisbursementRefusal.pix(new PixRefusal("invalid_key", "Chave Pix inválida")));
        return Arbitraries.oneOf(
                Combinators.combine(at, collateral).as((t, c) -> new RecordCollateral(KEY, t, RECORDED, c)),
                Combinators.combine(at, failure).as((t, f) -> new RecordReservationFailure(KEY, t, RECORDED, f)),
                Combinators.combine(at, refusal).as((t, r) -> new RecordDebtCancellation(KEY, t, RECORDED, r)));
    }

    @Provide
    Arbitrary<Arrivals> arrivals() {
        return Combinators.combine(
                        nonFinalFact().list().ofMinSize(1).ofMaxSize(7),
                        Arbitraries.longs(),
                        Arbitraries.integers().between(0, 4))
                .as(Arrivals::new);
    }

    /** The same facts with one or two permanent cancellations among them, at any position and time. */
    @Provide
    Arbitrary<Arrivals> arrivalsWithAPermanentCancellation() {
        Arbitrary<DebtCommand> permanent = Arbitraries.integers().between(0, 3)
                .map(h -> new RecordDebtCanceledPermanently(KEY, hour(h), RECORDED));
        return Combinators.combine(
                        nonFinalFact().list().ofMaxSize(6),
                        permanent.list().ofMinSize(1).ofMaxSize(2),
                        Arbitraries.longs(),
                        Arbitraries.integers().between(0, 4))
                .as((facts, permanents, seed, resends) -> {
                    List<DebtCommand> all = new ArrayList<>(facts);
                    all.addAll(permanents);
                    return new Arrivals(all, seed, resends);
                });
    }

    static Debt.Fact fact(DebtCommand c) {
        if (c instanceof RecordCollateral r) {
            return Debt.Fact.collateral(r.occurredAt(), r.collateral());
        }
        if (c instanceof RecordReservationFailure r) {
            return Debt.Fact.reservationFailure(r.occurredAt(), r.failure());
        }
        if (c instanceof RecordDebtCancellation r) {
            return Debt.Fact.cancellation(r.occurredAt(), r.refusal());
        }
        return Debt.Fact.permanentCancellation(c.occurredAt());
    }

    static Outcome outcomeOf(List<DebtCommand> arrival) {
        AtomicReference<Outcome> outcome = new AtomicReference<>();
        new AggregateTestFixture<>(Debt.class)
                .givenCommands(arrival.subList(0, arrival.size() - 1).toArray())
                .when(arrival.get(arrival.size() - 1))
                .expectSuccessfulHandlerExecution()
                .expectState(debt -> outcome.set(Outcome.of(debt)));
        return outcome.get();
    }

    @Property(tries = 300)
    void theStateAfterNonFinalFactsDoesNotDependOnArrivalOrder(@ForAll("arrivals") Arrivals arrivals) {
        Outcome shuffled = outcomeOf(arrivals.shuffledWithResends());
        Outcome inOrder = outcomeOf(arrivals.facts());
        assertThat(shuffled).isEqualTo(inOrder);

        List<Debt.Fact> facts = arrivals.facts().stream().map(DebtOrderProperties::fact).toList();
        assertThat(shuffled.status()).isEqualTo(facts.stream().max(Debt.LATEST).orElseThrow().status());
        assertThat(shuffled.knownFacts()).isEqualTo(new HashSet<>(facts).size());
        assertThat(shuffled.isFinal()).isFalse();
        assertThat(shuffled.collateral()).isEqualTo(facts.stream()
                .filter(f -> f.content() instanceof Collateral).max(Debt.LATEST)
                .map(f -> (Collateral) f.content()).orElse(null));
        assertThat(shuffled.latestRefusal()).isEqualTo(facts.stream()
                .filter(f -> f.content() instanceof DisbursementRefusal).max(Debt.LATEST)
                .map(f -> (DisbursementRefusal) f.content()).orElse(null));
    }

    @Property(tries = 300)
    void canceledPermanentlyIsTheStatusWhateverTheOrder(
            @ForAll("arrivalsWithAPermanentCancellation") Arrivals arrivals) {
        List<DebtCommand> arrival = arrivals.shuffledWithResends();
        Outcome outcome = outcomeOf(arrival);
        assertThat(outcome.status()).isEqualTo(DebtStatus.CANCELED_PERMANENTLY);
        assertThat(outcome.isFinal()).isTrue();

        // every distinct fact is held once; those first seen after the final one are the ignored ones
        Set<Debt.Fact> seen = new HashSet<>();
        int ignored = 0;
        boolean fin = false;
        for (DebtCommand c : arrival) {
            if (seen.add(fact(c)) && fin) {
                ignored++;
            }
            fin |= c instanceof RecordDebtCanceledPermanently;
        }
        assertThat(outcome.knownFacts()).isEqualTo(seen.size());
        assertThat(outcome.ignoredAfterFinal()).isEqualTo(ignored);
    }

    @Property(tries = 100)
    void onlyTheFirstArrivalOfAFactIsRecorded(@ForAll("arrivalsWithAPermanentCancellation") Arrivals arrivals) {
        List<DebtCommand> arrival = arrivals.shuffledWithResends();
        DebtCommand last = arrival.get(arrival.size() - 1);
        Set<Debt.Fact> before = new HashSet<>();
        arrival.subList(0, arrival.size() - 1).forEach(c -> before.add(fact(c)));
        boolean seen = before.contains(fact(last));
        new AggregateTestFixture<>(Debt.class)
                .givenCommands(arrival.subList(0, arrival.size() - 1).toArray())
                .when(last)
                .expectResultMessagePayload(seen ? RecordingResult.ALREADY_RECORDED : RecordingResult.RECORDED)
                .expectState(debt -> assertThat(debt.knownFacts()).isEqualTo(before.size() + (seen ? 0 : 1)));
    }

    @Property(tries = 200)
    void theOrderOfFactsAgreesWithTheirEquality(@ForAll("arrivals") Arrivals arrivals) {
        for (DebtCommand a : arrivals.facts()) {
            for (DebtCommand b : arrivals.facts()) {
                int order = Debt.LATEST.compare(fact(a), fact(b));
                assertThat(order == 0).isEqualTo(fact(a).equals(fact(b)));
                assertThat(Integer.signum(order)).isEqualTo(-Integer.signum(Debt.LATEST.compare(fact(b), fact(a))));
            }
        }
    }
}
