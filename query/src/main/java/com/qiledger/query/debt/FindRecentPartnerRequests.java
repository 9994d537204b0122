package com.qiledger.query.debt;

/**
 * The latest partner calls of every debt, newest first, at most {@code limit}, only those in
 * {@code state} when it is not null; answered with a list of {@link PartnerRequestView}.
 */
public record FindRecentPartnerRequests(String state, int limit) {
}
