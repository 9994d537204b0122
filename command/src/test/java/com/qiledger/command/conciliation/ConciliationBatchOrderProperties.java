package com.qiledger.command.conciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.common.RecordingResult;
import com.qiledger.command.messages.conciliation.BatchFigures;
import com.qiledger.command.messages.conciliation.RecordConciliationBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.axonframework.test.aggregate.AggregateTestFixture;

/**
 * Out-of-order delivery is normal: whatever order the reports of one batch arrive in, and however
 * often each is resent, the batch ends with the same figures and holds each distinct fact once.
 * Few distinct times, and amounts equal in value but not in scale, make ties common on purpose.
 */
class ConciliationBatchOrderProperties {

    record Arrivals(List<RecordConciliationBatch> facts, long shuffleSeed, int resends) {

        List<RecordConciliationBatch> shuffledWithResends() {
            List<RecordConciliationBatch> arrival = new ArrayList<>(facts);
            Random random = new Random(shuffleSeed);
            for (int i = 0; i < resends; i++) {
                RecordConciliationBatch again = arrival.get(random.nextInt(arrival.size()));
                // a resend carries the identical body; only the ledger's receipt time differs
                arrival.add(new RecordConciliationBatch(again.batchKey(), again.webhookType(), again.occurredAt(),
                        again.recordedAt().plusSeconds(60L * (i + 1)), again.figures()));
            }
            Collections.shuffle(arrival, random);
            return arrival;
        }
    }

    @Provide
    Arbitrary<Arrivals> arrivals() {
        Arbitrary<BigDecimal> amount = Arbitraries.of("0", "0.00", "10.5", "10.50", "1500.00")
                .map(BigDecimal::new).injectNull(0.1);
        Arbitrary<BatchFigures> figures = Combinators.combine(
                        Arbitraries.of("open", "closed"),
                        Arbitraries.of("fixed_amount", "variable_amount"),
                        amount,
                        amount,
                        Arbitraries.longs().between(0, 2),
                        Arbitraries.longs().between(0, 2))
                .as((status, type, total, conciliated, orders, conciliatedOrders) -> new BatchFigures(status, type,
                        "6a0b2a43-8f0e-4a55-9d6e-1d2f3c4b5a69", total, conciliated, orders, conciliatedOrders,
                        LocalDate.parse("2025-06-13"), Instant.parse("2025-06-10T20:30:23.459Z")));
        Arbitrary<RecordConciliationBatch> fact = Combinators.combine(
                        Arbitraries.of(ConciliationBatchTest.CREATION, ConciliationBatchTest.UPDATE,
                                ConciliationBatchTest.CLOSING),
                        Arbitraries.integers().between(0, 3),
                        figures)
                .as((type, hour, f) -> new RecordConciliationBatch(ConciliationBatchTest.KEY, type,
                        Instant.parse("2025-06-10T20:00:00Z").plusSeconds(hour * 3600L),
                        ConciliationBatchTest.RECORDED, f));
        return Combinators.combine(
                        fact.list().ofMinSize(1).ofMaxSize(7),
                        Arbitraries.longs(),
                        Arbitraries.integers().between(0, 4))
                .as(Arrivals::new);
    }

    private static ConciliationBatch.Fact fact(RecordConciliationBatch c) {
        return ConciliationBatch.Fact.of(c);
    }

    @Property(tries = 300)
    void finalFiguresDoNotDependOnArrivalOrder(@ForAll("arrivals") Arrivals arrivals) {
        List<RecordConciliationBatch> arrival = arrivals.shuffledWithResends();

        BatchFigures expected = arrivals.facts().stream()
                .map(ConciliationBatchOrderProperties::fact)
                .max(ConciliationBatch.LATEST)
                .map(ConciliationBatch.Fact::figures)
                .orElseThrow();
        long distinct = arrivals.facts().stream().map(ConciliationBatchOrderProperties::fact).distinct().count();
        boolean anyCreation = arrivals.facts().stream().anyMatch(RecordConciliationBatch::isCreation);

        new AggregateTestFixture<>(ConciliationBatch.class)
                .givenCommands(arrival.subList(0, arrival.size() - 1).toArray())
                .when(arrival.get(arrival.size() - 1))
                .expectSuccessfulHandlerExecution()
                .expectState(batch -> {
                    assertThat(batch.currentFigures()).isEqualTo(expected);
                    assertThat(batch.knownFacts()).isEqualTo(distinct);
                    assertThat(batch.creationKnown()).isEqualTo(anyCreation);
                });
    }

    @Property(tries = 100)
    void onlyTheFirstArrivalOfAFactIsRecorded(@ForAll("arrivals") Arrivals arrivals) {
        List<RecordConciliationBatch> arrival = arrivals.shuffledWithResends();
        RecordConciliationBatch last = arrival.get(arrival.size() - 1);
        Set<ConciliationBatch.Fact> before = new HashSet<>();
        arrival.subList(0, arrival.size() - 1).forEach(c -> before.add(fact(c)));
        boolean seen = before.contains(fact(last));

        new AggregateTestFixture<>(ConciliationBatch.class)
                .givenCommands(arrival.subList(0, arrival.size() - 1).toArray())
                .when(last)
                .expectResultMessagePayload(seen ? RecordingResult.ALREADY_RECORDED : RecordingResult.RECORDED)
                .expectState(batch -> assertThat(batch.knownFacts()).isEqualTo(before.size() + (seen ? 0 : 1)));
    }

    @Property(tries = 200)
    void theTieBreakAgreesWithEqualityOfFacts(@ForAll("arrivals") Arrivals arrivals) {
        for (RecordConciliationBatch a : arrivals.facts()) {
            for (RecordConciliationBatch b : arrivals.facts()) {
                int order = ConciliationBatch.LATEST.compare(fact(a), fact(b));
                assertThat(order == 0).isEqualTo(fact(a).equals(fact(b)));
                assertThat(Integer.signum(order)).isEqualTo(-Integer.signum(ConciliationBatch.LATEST.compare(fact(b),
                        fact(a))));
            }
        }
    }
}
