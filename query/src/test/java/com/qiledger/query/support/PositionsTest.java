package com.qiledger.query.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.messaging.GenericMessage;
import org.junit.jupiter.api.Test;

/** The global position a projection stores for an event, whatever token the processor hands it with. */
class PositionsTest {

    private final ReadModelDatabase db = ReadModelDatabase.emptied();

    /** A gap-aware token of an event that arrives late carries the highest index seen, not the event's own. */
    @Test
    void aLateEventIsPlacedAtItsOwnIndexNotAtTheTokensPosition() {
        EventMessage<?> late = new GenericEventMessage<>("payload");
        db.jdbc().sql("""
                        INSERT INTO domainevententry (globalindex, aggregateidentifier, sequencenumber, type,
                            eventidentifier, payload, payloadtype, timestamp)
                        VALUES (41, 'BankSlip:s1', 0, 'BankSlip', :id, '\\x00', 'String', '2026-01-01T00:00:00Z')
                        """)
                .param("id", late.getIdentifier())
                .update();

        assertThat(Positions.of(late, GapAwareTrackingToken.newInstance(57, List.of(41L)), db.jdbc())).isEqualTo(41);
    }

    @Test
    void anExactTokenIsTakenAsItIsAndAnEventNotInTheStoreFallsBackToTheToken() {
        EventMessage<?> event = new GenericEventMessage<>("payload");

        assertThat(Positions.of(event, new GlobalSequenceTrackingToken(12), db.jdbc())).isEqualTo(12);
        assertThat(Positions.of(event, GapAwareTrackingToken.newInstance(57, List.of()), db.jdbc())).isEqualTo(57);
        assertThat(Positions.of(event, null, db.jdbc())).isEqualTo(-1);
    }

    @Test
    void anIndexTheTrackingReadRememberedNeedsNoLookup() {
        String id = UUID.randomUUID().toString();
        Positions.remember(id, 33);

        assertThat(Positions.of(new GenericEventMessage<>(
                        new GenericMessage<>(id, "payload", Map.of()), Instant::now),
                GapAwareTrackingToken.newInstance(57, List.of()), db.jdbc())).isEqualTo(33);
    }
}
