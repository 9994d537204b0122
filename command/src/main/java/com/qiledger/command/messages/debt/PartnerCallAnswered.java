package com.qiledger.command.messages.debt;

/** What one attempt of a call came to (or that no more attempts are made). */
public sealed interface PartnerCallAnswered extends PartnerCallEvent
        permits PartnerCallAccepted, PartnerCallRefused, PartnerCallAttemptFailed, PartnerCallGivenUp {

    int attempt();

    /** The provider's HTTP status, null when no answer came. */
    Integer status();
}
