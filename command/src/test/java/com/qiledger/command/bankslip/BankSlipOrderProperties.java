package com.qiledger.command.bankslip;

import static com.qiledger.command.bankslip.BankSlipSamples.command;
import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.command.messages.bankslip.BankSlipStatus;
import com.qiledger.command.messages.bankslip.RecordBankSlipStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.axonframework.test.aggregate.AggregateTestFixture;

/**
 * Out-of-order delivery is normal: whatever order the facts of one lifecycle arrive in, and however
 * often each is resent, the slip ends in the same status and holds each distinct fact once.
 */
class BankSlipOrderProperties {

    record Lifecycle(List<RecordBankSlipStatus> facts, long shuffleSeed, int resends) {
    }

    @Provide
    Arbitrary<Lifecycle> lifecycles() {
        Arbitrary<RecordBankSlipStatus> fact = Combinators.combine(
                        Arbitraries.of(BankSlipStatus.values()),
                        Arbitraries.integers().between(0, 20))
                .as((status, hour) -> command(status,
                        Instant.parse("2023-01-10T00:00:00Z").plusSeconds(hour * 3600L).toString()));
        return Combinators.combine(
                        fact.list().ofMinSize(1).ofMaxSize(7),
                        Arbitraries.longs(),
                        Arbitraries.integers().between(0, 3))
                .as(Lifecycle::new);
    }

    @Property(tries = 300)
    void finalStatusDoesNotDependOnArrivalOrder(@ForAll("lifecycles") Lifecycle lifecycle) {
        List<RecordBankSlipStatus> arrival = new ArrayList<>(lifecycle.facts());
        Random random = new Random(lifecycle.shuffleSeed());
        for (int i = 0; i < lifecycle.resends(); i++) {
            arrival.add(arrival.get(random.nextInt(arrival.size())));
        }
        Collections.shuffle(arrival, random);

        BankSlipStatus expected = lifecycle.facts().stream()
                .map(c -> new BankSlip.Fact(c.status(), c.occurredAt(), c.facts(), c.writeOffReason()))
                .max(BankSlip.PRECEDENCE)
                .map(BankSlip.Fact::status)
                .orElseThrow();
        long distinct = lifecycle.facts().stream()
                .map(c -> new BankSlip.Fact(c.status(), c.occurredAt(), c.facts(), c.writeOffReason()))
                .distinct().count();

        new AggregateTestFixture<>(BankSlip.class)
                .givenCommands(arrival.subList(0, arrival.size() - 1).toArray())
                .when(arrival.get(arrival.size() - 1))
                .expectSuccessfulHandlerExecution()
                .expectState(slip -> {
                    assertThat(slip.currentStatus()).isEqualTo(expected);
                    assertThat(slip.knownFacts()).isEqualTo(distinct);
                });
    }

    @Property(tries = 50)
    void paidIsFinalWhateverArrivesAfterIt(@ForAll("lifecycles") Lifecycle lifecycle) {
        List<RecordBankSlipStatus> arrival = new ArrayList<>();
        arrival.add(command(BankSlipStatus.PAID, "2023-01-10T12:00:00Z"));
        arrival.addAll(lifecycle.facts());
        arrival.sort(Comparator.comparing(c -> c.status() == BankSlipStatus.PAID ? 1 : 0));
        new AggregateTestFixture<>(BankSlip.class)
                .givenCommands(arrival.subList(0, arrival.size() - 1).toArray())
                .when(arrival.get(arrival.size() - 1))
                .expectState(slip -> assertThat(slip.currentStatus()).isEqualTo(BankSlipStatus.PAID));
    }
}
