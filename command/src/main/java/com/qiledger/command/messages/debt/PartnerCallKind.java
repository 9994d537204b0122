package com.qiledger.command.messages.debt;

/**
 * The calls the partner makes to the provider about a debt (seed 004), each answered later by a
 * webhook. {@link #providerName()} is the provider's own name of the call, the last segment of its path.
 */
public enum PartnerCallKind {
    /** {@code POST /debt/{key}/cancel_permanently}: final, confirmed by {@code debt} / {@code canceled_permanently}. */
    CANCEL_PERMANENTLY("cancel_permanently"),
    /** {@code POST /debt/{key}/change_disbursement_date}: a new date and accounts for a refused disbursement. */
    CHANGE_DISBURSEMENT_DATE("change_disbursement_date");

    private final String providerName;

    PartnerCallKind(String providerName) {
        this.providerName = providerName;
    }

    public String providerName() {
        return providerName;
    }
}
