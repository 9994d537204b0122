package com.qiledger.api.projections;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Waiting requests share the reads of the processors' tokens, and never get one older than they need. */
class SharedReadsTest {

    @Test
    void aReadIsReusedOnlyWhenItBeganAfterTheCallersMoment() {
        AtomicInteger reads = new AtomicInteger();
        SharedReads<Integer> shared = new SharedReads<>(reads::incrementAndGet);
        long before = System.nanoTime();
        SharedReads.Read<Integer> first = shared.readAfter(before);
        assertThat(first.value()).isEqualTo(1);
        assertThat(first.startedAt() - before).isPositive();
        // a caller whose moment is before that read began takes it
        assertThat(shared.readAfter(before).value()).isEqualTo(1);
        // one whose moment is that read's start (or later) gets a new read
        assertThat(shared.readAfter(first.startedAt()).value()).isEqualTo(2);
        assertThat(shared.readAfter(System.nanoTime()).value()).isEqualTo(3);
        assertThat(reads).hasValue(3);
    }

    @Test
    void manyWaitersPollingShareFewReadsAndEachSeesAFreshOneEveryRound() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        AtomicLong latestStart = new AtomicLong();
        SharedReads<Long> shared = new SharedReads<>(() -> {
            reads.incrementAndGet();
            sleep(2); // a token-store read takes a while
            return System.nanoTime();
        });
        int waiters = 16;
        int rounds = 20;
        ExecutorService pool = Executors.newFixedThreadPool(waiters);
        List<Future<Boolean>> done = new ArrayList<>();
        for (int w = 0; w < waiters; w++) {
            done.add(pool.submit(() -> {
                long moment = System.nanoTime();
                for (int r = 0; r < rounds; r++) {
                    SharedReads.Read<Long> read = shared.readAfter(moment);
                    if (read.startedAt() - moment <= 0 || read.value() - moment <= 0) {
                        return false; // a read older than this waiter needed
                    }
                    latestStart.accumulateAndGet(read.startedAt(), Math::max);
                    moment = read.startedAt();
                    sleep(10);
                }
                return true;
            }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        for (Future<Boolean> f : done) {
            assertThat(f.get()).isTrue();
        }
        // alone, each waiter would read once per round: 320 reads
        assertThat(reads.get()).isLessThan(waiters * rounds / 2);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
