package com.qiledger.query.debt;

/** Every partner call asked for one debt, oldest first; answered with a list of {@link PartnerRequestView}. */
public record FindPartnerRequests(String debtKey) {
}
