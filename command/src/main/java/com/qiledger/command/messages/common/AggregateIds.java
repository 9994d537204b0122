package com.qiledger.command.messages.common;

/**
 * Identifiers of aggregates in the event store. Axon's JDBC store keys event streams by identifier
 * alone, and the provider reuses the same UUID across families (an installment key equal to its debt
 * key, for one), so every stream id is prefixed with its aggregate type: {@code BankSlip:<key>}.
 */
public final class AggregateIds {

    private AggregateIds() {
    }

    public static String of(String aggregateType, String key) {
        return aggregateType + ":" + key;
    }

    /** The provider's key inside a stream id; an unprefixed id is returned as it is. */
    public static String keyOf(String aggregateId) {
        int colon = aggregateId.indexOf(':');
        return colon < 0 ? aggregateId : aggregateId.substring(colon + 1);
    }
}
