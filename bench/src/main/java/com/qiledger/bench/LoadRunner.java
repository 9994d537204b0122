package com.qiledger.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Drives webhooks at the service with {@code n} sender threads, each with its own keep-alive
 * connection and its own HdrHistogram (merged at the end), in one of two modes.
 *
 * <p><b>Closed loop</b> ({@link #closedLoop}): each sender sends its next webhook as soon as the
 * previous one is answered. That finds the maximum acknowledged rate at {@code n} concurrent senders.
 *
 * <p><b>Open loop at a constant rate</b> ({@link #constantRate}), wrk2-style, without coordinated
 * omission: sender {@code j} of {@code n} owns the intended send times {@code t0 + (j + k·n)/rate},
 * {@code k = 0, 1, ...}, fixed before the run. It sleeps until its next intended time if it is early;
 * if it is late (because the previous answer was slow) it sends at once, and in both cases the
 * latency recorded is answer time minus <em>intended</em> time. A stall of the service therefore
 * shows up in the percentiles as the full delay every scheduled webhook would have seen, instead of
 * as one slow request and a quiet gap. The service time alone (answer minus actual send) is recorded
 * separately for comparison.
 */
final class LoadRunner {

    private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(5);

    /** What a run produced. Latencies in microseconds. */
    static final class Result {
        final String mode;
        final String workload;
        final int senders;
        final double targetRate;
        double seconds;
        final LongAdder sent = new LongAdder();
        final LongAdder acknowledged = new LongAdder();
        final LongAdder failed = new LongAdder();
        final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        final AtomicLong maxPosition = new AtomicLong(-1);
        final Histogram latency = histogram();
        final Map<String, Histogram> latencyByFixture = new java.util.TreeMap<>();
        final Histogram serviceTime = histogram();
        final Histogram lag = histogram();
        final LongAdder lagSamples = new LongAdder();
        final LongAdder lagFailures = new LongAdder();
        final LongAdder lateStarts = new LongAdder();
        /** Per second of the run: answers, and the slowest latency (µs) answered in that second. */
        final java.util.concurrent.atomic.AtomicLongArray answersPerSecond;
        final java.util.concurrent.atomic.AtomicLongArray slowestPerSecond;
        long startNanos;

        Result(String mode, String workload, int senders, double targetRate, Duration duration) {
            this.mode = mode;
            this.workload = workload;
            this.senders = senders;
            this.targetRate = targetRate;
            int seconds = (int) Math.min(3600, duration.toSeconds() + 30);
            this.answersPerSecond = new java.util.concurrent.atomic.AtomicLongArray(seconds);
            this.slowestPerSecond = new java.util.concurrent.atomic.AtomicLongArray(seconds);
        }

        void second(long answeredAt, long latencyNanos) {
            int s = (int) ((answeredAt - startNanos) / 1_000_000_000L);
            if (s >= 0 && s < answersPerSecond.length()) {
                answersPerSecond.incrementAndGet(s);
                slowestPerSecond.accumulateAndGet(s, latencyNanos / 1000, Math::max);
            }
        }

        /** [second, answers, slowest ms] for each second of the run. */
        List<long[]> timeline() {
            List<long[]> out = new ArrayList<>();
            int last = (int) Math.min(answersPerSecond.length(), Math.ceil(seconds));
            for (int i = 0; i < last; i++) {
                out.add(new long[] {i, answersPerSecond.get(i), slowestPerSecond.get(i) / 1000});
            }
            return out;
        }

        double ackRate() {
            return seconds <= 0 ? 0 : acknowledged.sum() / seconds;
        }

        long outcome(String name) {
            LongAdder a = outcomes.get(name);
            return a == null ? 0 : a.sum();
        }
    }

    /** Stop rules besides the duration: a count of acknowledgements, or a global event position reached. */
    record Limits(Duration duration, long maxAcknowledged, long untilPosition) {
        static Limits of(Duration duration) {
            return new Limits(duration, Long.MAX_VALUE, Long.MAX_VALUE);
        }
    }

    /** An acknowledged delivery, for callers that collect keys. */
    record Acked(Workloads.Delivery delivery, Http.Ack ack, long ackNanos) {
    }

    private final Http http;
    private final long seed;

    LoadRunner(Http http, long seed) {
        this.http = http;
        this.seed = seed;
    }

    Result closedLoop(String label, Workloads.Workload workload, int senders, Limits limits,
                      Consumer<Acked> onAck, Duration progressEvery) {
        Result result = new Result("closed-loop/" + label, workload.name(), senders, 0, limits.duration());
        AtomicBoolean stop = new AtomicBoolean();
        // A ticket per send: with a count limit, no more webhooks are sent than asked for.
        AtomicLong tickets = new AtomicLong();
        long start = System.nanoTime();
        result.startNanos = start;
        long deadline = start + limits.duration().toNanos();
        List<Thread> threads = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        List<Map<String, Histogram>> byFixture = new ArrayList<>();
        for (int j = 0; j < senders; j++) {
            Histogram mine = histogram();
            histograms.add(mine);
            Map<String, Histogram> mineByFixture = new java.util.HashMap<>();
            byFixture.add(mineByFixture);
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + j + System.nanoTime());
            Thread t = new Thread(() -> {
                while (!stop.get() && System.nanoTime() < deadline
                        && tickets.incrementAndGet() <= limits.maxAcknowledged()) {
                    Workloads.Delivery delivery = workload.next(random);
                    long sentAt = System.nanoTime();
                    Http.Ack ack = http.postWebhook(delivery.body(), delivery.headers());
                    long answeredAt = System.nanoTime();
                    record(mine, answeredAt - sentAt);
                    result.second(answeredAt, answeredAt - sentAt);
                    record(mineByFixture.computeIfAbsent(delivery.template(), k -> histogram()), answeredAt - sentAt);
                    count(result, ack);
                    if (ack.ok()) {
                        if (onAck != null) {
                            onAck.accept(new Acked(delivery, ack, answeredAt));
                        }
                        if (result.maxPosition.get() >= limits.untilPosition()) {
                            stop.set(true);
                        }
                    }
                }
            }, "sender-" + j);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        awaitWithProgress(threads, result, start, progressEvery);
        result.seconds = (System.nanoTime() - start) / 1e9;
        histograms.forEach(result.latency::add);
        for (Map<String, Histogram> m : byFixture) {
            m.forEach((k, h) -> result.latencyByFixture.computeIfAbsent(k, x -> histogram()).add(h));
        }
        return result;
    }

    /**
     * Open loop at {@code rate} webhooks/s for {@code duration}; every {@code lagEvery}-th applied
     * delivery is followed by a projection-lag probe (0 = none).
     */
    Result constantRate(String label, Workloads.Workload workload, int senders, double rate, Duration duration,
                        int lagEvery, Duration probeTimeout) {
        Result result = new Result("constant-rate/" + label, workload.name(), senders, rate, duration);
        long intervalPerSender = interval(senders, rate);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        result.startNanos = start;
        long end = start + duration.toNanos();
        LagProbes probes = lagEvery > 0 ? new LagProbes(http, result, probeTimeout) : null;
        AtomicLong appliedCounter = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Histogram> latencies = new ArrayList<>();
        List<Histogram> serviceTimes = new ArrayList<>();
        for (int j = 0; j < senders; j++) {
            Histogram latency = histogram();
            Histogram service = histogram();
            latencies.add(latency);
            serviceTimes.add(service);
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + j + System.nanoTime());
            long first = start + offset(j, rate);
            Thread t = new Thread(() -> {
                for (long intended = first; intended < end; intended += intervalPerSender) {
                    Workloads.Delivery delivery = workload.next(random);
                    long now;
                    while ((now = System.nanoTime()) < intended) {
                        LockSupport.parkNanos(intended - now);
                    }
                    if (now - intended > TimeUnit.MILLISECONDS.toNanos(1)) {
                        result.lateStarts.increment();
                    }
                    Http.Ack ack = http.postWebhook(delivery.body(), delivery.headers());
                    long answeredAt = System.nanoTime();
                    record(latency, answeredAt - intended);
                    result.second(answeredAt, answeredAt - intended);
                    record(service, answeredAt - now);
                    count(result, ack);
                    if (probes != null && ack.ok() && "applied".equals(ack.outcome()) && ack.position() >= 0
                            && appliedCounter.incrementAndGet() % lagEvery == 0) {
                        probes.submit(delivery, ack.position(), answeredAt);
                    }
                }
            }, "paced-sender-" + j);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        awaitWithProgress(threads, result, start, Duration.ofSeconds(10));
        result.seconds = (System.nanoTime() - start) / 1e9;
        latencies.forEach(result.latency::add);
        serviceTimes.forEach(result.serviceTime::add);
        if (probes != null) {
            probes.finish();
        }
        return result;
    }

    /**
     * How many webhooks {@link #constantRate} sends with these arguments: its schedule is fixed before
     * the run, so a workload can ready exactly that many (pre-signed deliveries).
     */
    static long constantRateSends(int senders, double rate, Duration duration) {
        long interval = interval(senders, rate);
        long total = 0;
        for (int j = 0; j < senders; j++) {
            long first = offset(j, rate);
            if (first < duration.toNanos()) {
                total += (duration.toNanos() - first + interval - 1) / interval;
            }
        }
        return total;
    }

    /** A paced sender's time between two sends. */
    private static long interval(int senders, double rate) {
        return (long) (1e9 * senders / rate);
    }

    /** When paced sender {@code j}'s first send is due, after the run's start. */
    private static long offset(int j, double rate) {
        return (long) (1e9 * j / rate);
    }

    private static void count(Result result, Http.Ack ack) {
        result.sent.increment();
        if (ack.ok()) {
            result.acknowledged.increment();
            result.outcomes.computeIfAbsent(String.valueOf(ack.outcome()), k -> new LongAdder()).increment();
            if (ack.position() >= 0) {
                result.maxPosition.accumulateAndGet(ack.position(), Math::max);
            }
        } else {
            result.failed.increment();
            String why = ack.status() > 0 ? "HTTP " + ack.status() : ack.error();
            result.failures.computeIfAbsent(why, k -> new LongAdder()).increment();
        }
    }

    private static void awaitWithProgress(List<Thread> threads, Result result, long start, Duration every) {
        long next = System.nanoTime() + every.toNanos();
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                if (System.nanoTime() > next) {
                    double s = (System.nanoTime() - start) / 1e9;
                    System.out.printf("    %s %s: %.0f s, %d acknowledged (%.0f/s), %d failed, head position %d%n",
                            result.mode, result.workload, s, result.acknowledged.sum(),
                            result.acknowledged.sum() / Math.max(s, 0.001), result.failed.sum(),
                            result.maxPosition.get());
                    next += every.toNanos();
                }
            }
        }
    }

    static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    static void record(Histogram h, long nanos) {
        h.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, nanos / 1000)));
    }

    /**
     * Projection lag: from the webhook's 200 to the moment its entity answers a read that waits for
     * the event position of that 200 ({@code ?minPosition=}, which the service holds until every read
     * model has processed it). Runs on its own small pool so the senders' pacing is not disturbed.
     */
    static final class LagProbes {
        private final Http http;
        private final Result result;
        private final Duration timeout;
        private final ExecutorService pool = new ThreadPoolExecutor(8, 8, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "lag-probe");
                    t.setDaemon(true);
                    return t;
                });
        private final Histogram histogram = histogram();

        LagProbes(Http http, Result result, Duration timeout) {
            this.http = http;
            this.result = result;
            this.timeout = timeout;
        }

        void submit(Workloads.Delivery delivery, long position, long ackNanos) {
            pool.execute(() -> {
                String path = "/api/v1/" + delivery.entity() + "/" + delivery.entityKey() + "?minPosition=" + position;
                long deadline = ackNanos + timeout.toNanos();
                while (System.nanoTime() < deadline) {
                    Http.Answer answer = http.get(path, Http.AUDITOR, Duration.ofSeconds(15));
                    if (answer.status() == 200) {
                        synchronized (histogram) {
                            record(histogram, System.nanoTime() - ackNanos);
                        }
                        result.lagSamples.increment();
                        return;
                    }
                    if (answer.status() != 503 && answer.status() != 404 && answer.status() != -1) {
                        break;
                    }
                    if (answer.status() != 503) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                    }
                }
                result.lagFailures.increment();
            });
        }

        void finish() {
            pool.shutdown();
            try {
                pool.awaitTermination(timeout.toSeconds() + 30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (histogram) {
                result.lag.add(histogram);
            }
        }
    }
}
