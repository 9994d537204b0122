package com.qiledger.api.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the fault tests share: waiting with a bound, and the one-line report of each test. */
final class Faults {

    /** Every fault test appends its figures here (and prints them in its own test output). */
    static final Path REPORT = Path.of("target", "fault-tests.txt");

    private Faults() {
    }

    static void report(String test, String figures) {
        String line = Instant.now() + " " + test + ": " + figures;
        System.out.println("FAULT REPORT " + line);
        try {
            Files.createDirectories(REPORT.getParent());
            Files.writeString(REPORT, line + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("(could not append to " + REPORT + ": " + e + ")");
        }
    }

    /** Waits until {@code condition} holds; fails naming {@code what} after {@code atMost}. */
    static Duration await(String what, Duration atMost, BooleanSupplier condition) {
        return await(what, atMost, condition, () -> "");
    }

    /** As above; the failure also shows {@code state}, as it is when the time is up. */
    static Duration await(String what, Duration atMost, BooleanSupplier condition, Supplier<Object> state) {
        long started = System.nanoTime();
        long deadline = started + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + atMost + ": " + what + " " + state.get());
            }
            sleep(200);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** A started thread of the given name. */
    static Thread thread(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
