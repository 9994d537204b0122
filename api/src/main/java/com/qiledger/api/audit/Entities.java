package com.qiledger.api.audit;

import java.util.Map;

/** The API's name of an event stream ({@code <AggregateType>:<key>}) and back. */
public final class Entities {

    private static final Map<String, String> PATHS = Map.of(
            "BankSlip", "bank-slips",
            "DdaBankSlip", "dda-bank-slips",
            "Installment", "installments",
            "ConciliationBatch", "conciliation-batches",
            "Debt", "debts");

    private Entities() {
    }

    /** {@code [entity, key]} of a stream id; a stream of no known type is named by its type. */
    public static String[] of(String aggregateId) {
        int colon = aggregateId.indexOf(':');
        if (colon < 0) {
            return new String[] {"stream", aggregateId};
        }
        String type = aggregateId.substring(0, colon);
        return new String[] {PATHS.getOrDefault(type, type), aggregateId.substring(colon + 1)};
    }

    /** The stream id of an entity the API names, or null for an unknown entity. */
    public static String streamOf(String entity, String key) {
        return PATHS.entrySet().stream().filter(e -> e.getValue().equals(entity)).findFirst()
                .map(e -> e.getKey() + ":" + key).orElse(null);
    }
}
