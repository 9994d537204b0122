package com.qiledger.command.messages.debt;

/** What one attempt of a partner call came to, as the provider client classified its answer. */
public enum PartnerCallOutcome {
    /** A {@code 2xx}: the provider accepted the call. */
    ACCEPTED,
    /** A {@code 4xx}: the provider refused it; sending it again would not change that. */
    REFUSED,
    /** A time-out, a connection failure or a {@code 5xx}: another attempt may succeed. */
    FAILED,
    /** The last attempt failed too: no more are made. */
    GAVE_UP
}
