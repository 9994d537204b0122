package com.qiledger.command.dda;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.common.RecordingResult;
import com.qiledger.command.messages.dda.DdaBankSlipEvent;
import com.qiledger.command.messages.dda.DdaBankSlipSnapshot;
import com.qiledger.command.messages.dda.DdaBankSlipStatus;
import com.qiledger.command.messages.dda.RecordDdaBankSlipSnapshot;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;

/**
 * DDA webhooks carry no time, so arrival order must not matter: whatever order the snapshots of one
 * slip arrive in, under either webhook type and however often each is resent, the slip ends with the
 * same current snapshot, the same status and the same partial payments, each snapshot held once. Few
 * distinct values, and amounts equal in value but not in scale, make ties common on purpose.
 */
class DdaBankSlipOrderProperties {

    record Arrivals(List<RecordDdaBankSlipSnapshot> facts, long shuffleSeed, int resends) {

        List<RecordDdaBankSlipSnapshot> shuffledWithResends() {
            List<RecordDdaBankSlipSnapshot> arrival = new ArrayList<>(facts);
            Random random = new Random(shuffleSeed);
            for (int i = 0; i < resends; i++) {
                RecordDdaBankSlipSnapshot again = arrival.get(random.nextInt(arrival.size()));
                // a resend carries the same snapshot; only the ledger's receipt time differs
                arrival.add(new RecordDdaBankSlipSnapshot(again.slipKey(), again.webhookType(),
                        again.recordedAt().plusSeconds(60L * (i + 1)), again.snapshot()));
            }
            Collections.shuffle(arrival, random);
            return arrival;
        }
    }

    @Provide
    Arbitrary<Arrivals> arrivals() {
        Arbitrary<BigDecimal> amount = Arbitraries.of("0", "0.00", "10.5", "10.50", "1200")
                .map(BigDecimal::new).injectNull(0.2);
        Arbitrary<String> barcode = Arbitraries.of(DdaBankSlipSamples.REGISTERED.barcode(),
                DdaBankSlipSamples.PAID.barcode(), "123").injectNull(0.1);
        Arbitrary<List<Map<String, String>>> calculations = Arbitraries.of(
                List.of(), List.of(Map.of("a", "1", "b", "2.0")), List.of(linked("b", "2.0", "a", "1")));
        Arbitrary<DdaBankSlipSnapshot> snapshot = Combinators.combine(
                        Arbitraries.of(DdaBankSlipStatus.class), amount, barcode, calculations)
                .as((status, paid, code, calcs) -> {
                    DdaBankSlipSnapshot s = DdaBankSlipSamples.withStatus(status, null);
                    return new DdaBankSlipSnapshot(code, s.digitableLine(), status, s.nominalAmount(),
                            s.totalAmount(), paid, s.paidFine(), s.paidInterest(), s.discountAmount(),
                            s.partialPaymentAllowed(), s.expiration(), s.maxPaymentDate(), s.beneficiary(), s.payer(),
                            s.guarantor(), s.rebateAmount(), s.interest(), s.fine(), s.discounts(), calcs,
                            s.calculationModel());
                });
        Arbitrary<RecordDdaBankSlipSnapshot> fact = Combinators.combine(
                        Arbitraries.of(DdaBankSlipSamples.REGISTRATION, DdaBankSlipSamples.UPDATE), snapshot)
                .as((type, s) -> new RecordDdaBankSlipSnapshot(DdaBankSlipSamples.KEY, type,
                        DdaBankSlipSamples.RECORDED, s));
        return Combinators.combine(
                        fact.list().ofMinSize(1).ofMaxSize(8),
                        Arbitraries.longs(),
                        Arbitraries.integers().between(0, 4))
                .as(Arrivals::new);
    }

    private static Map<String, String> linked(String k1, String v1, String k2, String v2) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static DdaBankSlip.Ranked ranked(DdaBankSlipSnapshot s) {
        return new DdaBankSlip.Ranked(s.status(), SnapshotFingerprint.of(s));
    }

    @Property(tries = 300)
    void theFinalStateDoesNotDependOnArrivalOrder(@ForAll("arrivals") Arrivals arrivals) {
        List<RecordDdaBankSlipSnapshot> arrival = arrivals.shuffledWithResends();

        Set<DdaBankSlipSnapshot> distinct = new HashSet<>();
        arrivals.facts().forEach(c -> distinct.add(c.snapshot()));
        DdaBankSlip.Ranked expected = distinct.stream().map(DdaBankSlipOrderProperties::ranked)
                .max(DdaBankSlip.PRECEDENCE).orElseThrow();
        BigDecimal partiallyPaid = distinct.stream()
                .filter(s -> s.status() == DdaBankSlipStatus.PARTIALLY_PAID && s.totalPaymentAmount() != null)
                .map(DdaBankSlipSnapshot::totalPaymentAmount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        long partials = distinct.stream().filter(s -> s.status() == DdaBankSlipStatus.PARTIALLY_PAID).count();

        var fixture = new AggregateTestFixture<>(DdaBankSlip.class);
        fixture.givenCommands(arrival.subList(0, arrival.size() - 1).toArray())
                .when(arrival.get(arrival.size() - 1))
                .expectSuccessfulHandlerExecution()
                .expectState(slip -> {
                    assertThat(slip.currentStatus()).isEqualTo(expected.status());
                    assertThat(slip.currentFingerprint()).isEqualTo(expected.fingerprint());
                    assertThat(slip.partiallyPaidAmount()).isEqualTo(partiallyPaid);
                    assertThat(slip.partialPayments()).isEqualTo(partials);
                    assertThat(slip.knownSnapshots()).isEqualTo(distinct.size());
                });

        // What read models follow: the last event that says "current" carries the current snapshot, and
        // the last event's state-after is the final state.
        List<DdaBankSlipEvent> events = new ArrayList<>();
        fixture.getEventStore().readEvents("DdaBankSlip:" + DdaBankSlipSamples.KEY)
                .asStream().map(DomainEventMessage::getPayload).map(DdaBankSlipEvent.class::cast)
                .forEach(events::add);
        assertThat(events).hasSize(distinct.size());
        DdaBankSlipEvent lastCurrent = events.stream().filter(DdaBankSlipEvent::snapshotCurrent)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(lastCurrent.fingerprint()).isEqualTo(expected.fingerprint());
        DdaBankSlipEvent last = events.get(events.size() - 1);
        assertThat(last.statusAfter()).isEqualTo(expected.status());
        assertThat(last.partiallyPaidAmountAfter()).isEqualTo(partiallyPaid);
    }

    @Property(tries = 100)
    void onlyTheFirstArrivalOfASnapshotIsRecorded(@ForAll("arrivals") Arrivals arrivals) {
        List<RecordDdaBankSlipSnapshot> arrival = arrivals.shuffledWithResends();
        RecordDdaBankSlipSnapshot last = arrival.get(arrival.size() - 1);
        Set<DdaBankSlipSnapshot> before = new HashSet<>();
        arrival.subList(0, arrival.size() - 1).forEach(c -> before.add(c.snapshot()));
        boolean seen = before.contains(last.snapshot());

        new AggregateTestFixture<>(DdaBankSlip.class)
                .givenCommands(arrival.subList(0, arrival.size() - 1).toArray())
                .when(last)
                .expectResultMessagePayload(seen ? RecordingResult.ALREADY_RECORDED : RecordingResult.RECORDED)
                .expectState(slip -> assertThat(slip.knownSnapshots()).isEqualTo(before.size() + (seen ? 0 : 1)));
    }

    @Property(tries = 200)
    void fingerprintsAgreeWithEqualityOfSnapshots(@ForAll("arrivals") Arrivals arrivals) {
        for (RecordDdaBankSlipSnapshot a : arrivals.facts()) {
            for (RecordDdaBankSlipSnapshot b : arrivals.facts()) {
                assertThat(SnapshotFingerprint.of(a.snapshot()).equals(SnapshotFingerprint.of(b.snapshot())))
                        .isEqualTo(a.snapshot().equals(b.snapshot()));
                int order = DdaBankSlip.PRECEDENCE.compare(ranked(a.snapshot()), ranked(b.snapshot()));
                assertThat(order == 0).isEqualTo(a.snapshot().equals(b.snapshot()));
                assertThat(Integer.signum(order)).isEqualTo(
                        -Integer.signum(DdaBankSlip.PRECEDENCE.compare(ranked(b.snapshot()), ranked(a.snapshot()))));
            }
        }
    }
}
