package com.qiledger.api.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A provider sending a stream of distinct deliveries ({@link Deliveries#nth}) from several clients
 * at once, each client sending its next delivery as soon as the previous one is answered. Every
 * answer is kept; 200s go to the {@link Ledger}.
 */
final class Load implements AutoCloseable {

    /** One delivery's answer, and when it was sent (System.nanoTime). */
    record Sent(int delivery, long sentAt, Http.Answer answer) {
    }

    private final String run;
    private final Ledger ledger;
    private final AtomicBoolean firing = new AtomicBoolean(true);
    private final AtomicInteger next = new AtomicInteger();
    private final Queue<Sent> answers = new ConcurrentLinkedQueue<>();
    private final List<Thread> clients = new ArrayList<>();

    /** Starts {@code clients} clients; delivery {@code i} goes to {@code target.apply(i)}. */
    Load(String run, int clients, IntFunction<Http> target, Ledger ledger) {
        this.run = run;
        this.ledger = ledger;
        for (int c = 0; c < clients; c++) {
            this.clients.add(Faults.thread("provider-" + run + "-" + c, () -> {
                while (firing.get()) {
                    int i = next.getAndIncrement();
                    byte[] body = body(i);
                    long sentAt = System.nanoTime();
                    Http.Answer answer = target.apply(i).post(body);
                    ledger.record(body, answer);
                    answers.add(new Sent(i, sentAt, answer));
                }
            }));
        }
    }

    byte[] body(int delivery) {
        return Deliveries.nth(run, delivery);
    }

    /** Clients send nothing new; what they have in flight stays in flight. */
    void halt() {
        firing.set(false);
    }

    /** Stops sending; returns once every client has its last answer. */
    void stop() {
        halt();
        for (Thread client : clients) {
            try {
                client.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    int sent() {
        return answers.size();
    }

    List<Sent> answers() {
        return List.copyOf(answers);
    }

    /** Deliveries answered with anything but 200 (or not at all): the provider still owes them. */
    Set<Integer> unanswered() {
        Set<Integer> owed = new TreeSet<>();
        for (Sent sent : answers) {
            if (!sent.answer().ok()) {
                owed.add(sent.delivery());
            }
        }
        return owed;
    }

    /** The provider's resends: each owed delivery again, until it is answered 200 (bounded). */
    java.util.Map<String, Integer> resendOwed(Http target) {
        java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (int delivery : unanswered()) {
            byte[] body = body(delivery);
            Http.Answer answer = null;
            for (int attempt = 0; attempt < 20 && (answer == null || !answer.ok()); attempt++) {
                if (answer != null) {
                    Faults.sleep(500);
                }
                answer = target.post(body);
            }
            if (!answer.ok()) {
                throw new AssertionError("resend of delivery " + delivery + " still not accepted: " + answer);
            }
            ledger.record(body, answer);
            outcomes.merge(answer.text("outcome"), 1, Integer::sum);
        }
        return outcomes;
    }

    @Override
    public void close() {
        stop();
    }
}
