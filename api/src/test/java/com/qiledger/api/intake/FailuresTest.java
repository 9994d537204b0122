package com.qiledger.api.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.junit.jupiter.api.Test;

/** Which failures of an append are a lost race (retried) and which are not. */
class FailuresTest {

    private static EventStoreException asTheStoreReports(String constraint) {
        return new EventStoreException("An event for aggregate [BankSlip:x] at sequence [2] was already inserted",
                new SQLException("ERROR: duplicate key value violates unique constraint \"" + constraint + "\"",
                        "23505"));
    }

    @Test
    void aSequenceTakenInTheEventStoreOrInTheHashChainIsALostRace() {
        assertThat(Failures.isConcurrentAppend(asTheStoreReports("domainevententry_aggregate_sequence_key"))).isTrue();
        assertThat(Failures.isConcurrentAppend(asTheStoreReports("audit_chain_pkey"))).isTrue();
    }

    @Test
    void anotherUniqueKeyIsNotALostRace() {
        assertThat(Failures.isConcurrentAppend(asTheStoreReports("domainevententry_eventidentifier_key"))).isFalse();
        assertThat(Failures.isStoreFailure(asTheStoreReports("domainevententry_eventidentifier_key"))).isTrue();
    }
}
