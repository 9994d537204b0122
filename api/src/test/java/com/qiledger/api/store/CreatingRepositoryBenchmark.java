package com.qiledger.api.store;

import java.util.function.Function;
import org.axonframework.config.Configuration;
import org.axonframework.modelling.command.Repository;
import org.junit.jupiter.api.Test;

/**
 * What creating an aggregate costs with Axon's repository (which throws and catches
 * {@code AggregateNotFoundException} for it) and with {@link CreatingRepository} (issue 20), not part of
 * the test suite (its name matches none of surefire's includes); run it on its own:
 *
 * <pre>cd api &amp;&amp; ../mvnw -B -o test -Dtest=CreatingRepositoryBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * <p>Six rounds; in each, ten fresh Axon configurations per arm, alternating, each creating 3,000 new
 * counters ({@code CreatingRepositoryTest}'s aggregate) through the command gateway over an in-memory
 * store. It prints the mean time per command of each arm and round (standard output, in
 * {@code target/surefire-reports/}); the first round warms the JIT. It asserts nothing: a time is a
 * benchmark's to report, side by side, never a test's to bound.
 */
class CreatingRepositoryBenchmark {

    @Test
    void measure() {
        for (int round = 0; round < 6; round++) { // arms alternate within each round: the machine is noisy
            long axon = 0;
            long creating = 0;
            for (int k = 0; k < 10; k++) {
                axon += run(null, round * 100 + k);
                creating += run(CreatingRepositoryTest.CREATING, round * 100 + k);
            }
            System.out.printf("round %d axon %d ns, creating %d ns%n", round, axon / 10, creating / 10);
        }
    }

    private static long run(Function<Configuration, Repository<CreatingRepositoryTest.Counter>> repository, int round) {
        Configuration axon = CreatingRepositoryTest.counters(repository);
        int n = 3_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            axon.commandGateway().sendAndWait(new CreatingRepositoryTest.Count(round + "-" + i));
        }
        long ns = (System.nanoTime() - t0) / n;
        axon.shutdown();
        return ns;
    }
}
