package com.qiledger.query.debt;

/** One partner call of one debt; answered with a {@link PartnerRequestView}, or none. */
public record FindPartnerRequest(String debtKey, String requestId) {
}
