package com.qiledger.api.projections;

import java.util.function.Supplier;

/**
 * One read shared by everyone who needs a value read after a given moment: a caller asks for a read
 * that <em>began</em> after its moment ({@link System#nanoTime()}), and gets the last read if that one
 * qualifies, else makes a new one, one at a time (callers that queue behind it take it). For values
 * that only move forward, such as the processors' tokens: a read that began after a caller's moment
 * shows everything that had happened by then.
 */
final class SharedReads<T> {

    /** A value and the moment its read began. */
    record Read<T>(long startedAt, T value) {
    }

    private final Supplier<T> reader;
    private final Object lock = new Object();
    private volatile Read<T> last;

    SharedReads(Supplier<T> reader) {
        this.reader = reader;
    }

    /** A read that began after {@code moment} (a {@link System#nanoTime()}). */
    Read<T> readAfter(long moment) {
        Read<T> read = last;
        if (read != null && read.startedAt() - moment > 0) {
            return read;
        }
        synchronized (lock) {
            read = last;
            if (read != null && read.startedAt() - moment > 0) {
                return read;
            }
            long startedAt = System.nanoTime();
            read = new Read<>(startedAt, reader.get());
            last = read;
            return read;
        }
    }
}
