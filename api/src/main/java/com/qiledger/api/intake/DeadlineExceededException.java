package com.qiledger.api.intake;

import java.time.Duration;

/** A delivery's work ran past its deadline ({@code ledger.webhook.deadline}): it stops and rolls back. */
public final class DeadlineExceededException extends RuntimeException {

    DeadlineExceededException(String during, Duration deadline) {
        super("the delivery's work ran past its deadline of " + deadline.toMillis() + " ms (" + during + ")");
    }
}
