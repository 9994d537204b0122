package com.qiledger.command.messages.debt;

/** What one attempt of a call came to (or that no more attempts are made). */
public sealed interface PartnerCallAnswered extends PartnerCallEvent
        permits PartnerCallAccepted, PartnerCallRefused, PartnerCallAttemptFailed, PartnerCallGivenUp {

    int attempt();

    /** The provider's HTTP status, null when no answer came. */
    Integer status();

    /** The provider's body exactly as received, null when no answer came. */
    String responseBody();

    /** What stood for an answer that did not come (time-out, connection failure), else null. */
    String error();
}
