package com.qiledger.api.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.e2e.TestDataDirs;
import com.qiledger.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Read-your-writes after a {@code 200} ({@code minPosition}) against a real token store and event
 * store. Deliveries commit out of order: a processor's token can be past a delivery's position while
 * that delivery's event, committed late, is still a gap in it, not yet processed.
 */
class ProcessorPositionsTest {

    private static final String SLIPS = "bank-slips";
    private static final String MONEY = "money-movements";

    private static EmbeddedPostgres postgres;
    private static JdbcClient jdbc;
    private final JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
    private ProcessorPositions positions;

    @BeforeAll
    static void startDatabase() {
        Path data = TestDataDirs.create("processor-positions");
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "qi-ledger-test-postgres-bin");
        postgres = EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(data).withBinariesDir(binaries)
                .withFsync(false).withStartTimeout(Duration.ofSeconds(60)));
        DriverManagerDataSource dataSource = new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(),
                postgres.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(dataSource);
        // this test writes and empties the event store by hand: the append-only fence lifted, as
        // docs/audit.md says (its events carry no chain links; nothing here verifies them)
        jdbc.sql("ALTER TABLE domainevententry DISABLE TRIGGER domainevententry_no_truncate").update();
    }

    @AfterAll
    static void stopDatabase() {
        postgres.close();
    }

    @BeforeEach
    void emptyStores() {
        jdbc.sql("TRUNCATE domainevententry, tokenentry").update();
        positions = new ProcessorPositions(jdbc, serializer);
    }

    @Test
    void aTokenPastThePositionWithThatEventStillAGapHasNotProcessedIt() {
        events(1, 2, 3, 4, 5);
        // bank-slips read 5 while 3 (committed late) was still in flight: 3 is a gap, not processed
        store(SLIPS, 0, GapAwareTrackingToken.newInstance(5, Set.of(3L)));
        store(SLIPS, 1, GapAwareTrackingToken.newInstance(5, Set.of()));

        assertThat(positions.processedByAll(List.of(SLIPS), Map.of(), 3)).isFalse();
        assertThat(positions.processedByAll(List.of(SLIPS), Map.of(), 5)).isFalse();
        // below the gap everything was processed
        assertThat(positions.processedByAll(List.of(SLIPS), Map.of(), 2)).isTrue();

        // the processor's next read fills the gap
        store(SLIPS, 0, GapAwareTrackingToken.newInstance(5, Set.of()));
        assertThat(positions.processedByAll(List.of(SLIPS), Map.of(), 3)).isTrue();
        assertThat(positions.processedByAll(List.of(SLIPS), Map.of(), 5)).isTrue();
    }

    @Test
    void aGapWithNoEventInTheStoreDoesNotHoldTheAnswerBack() {
        // 3 was taken by a transaction that rolled back (or is still in flight): no event there
        events(1, 2, 4, 5);
        store(SLIPS, 0, GapAwareTrackingToken.newInstance(5, Set.of(3L)));

        assertThat(positions.processedByAll(List.of(SLIPS), Map.of(), 4)).isTrue();
        assertThat(positions.processedByAll(List.of(SLIPS), Map.of(), 5)).isTrue();
    }

    @Test
    void aGapAboveThePositionDoesNotMatter() {
        events(1, 2, 3, 4, 5);
        store(SLIPS, 0, GapAwareTrackingToken.newInstance(5, Set.of(4L)));

        assertThat(positions.processedByAll(List.of(SLIPS), Map.of(), 3)).isTrue();
        assertThat(positions.processedByAll(List.of(SLIPS), Map.of(), 4)).isFalse();
    }

    @Test
    void everyProcessorAndEverySegmentMustBePastThePosition() {
        events(1, 2, 3);
        store(SLIPS, 0, GapAwareTrackingToken.newInstance(3, Set.of()));
        store(MONEY, 0, GapAwareTrackingToken.newInstance(2, Set.of()));

        assertThat(positions.processedByAll(List.of(SLIPS, MONEY), Map.of(), 2)).isTrue();
        assertThat(positions.processedByAll(List.of(SLIPS, MONEY), Map.of(), 3)).isFalse();
        assertThat(positions.processedByAll(List.of(SLIPS), Map.of(), 3)).isTrue();
        // a processor that has stored no token yet has processed nothing
        assertThat(positions.processedByAll(List.of(SLIPS, "debts"), Map.of(), 0)).isFalse();
        assertThat(positions.processedByAll(List.of(SLIPS, MONEY), Map.of())).isEqualTo(2);
    }

    @Test
    void thisNodesInMemoryTokenCountsWhenItHasReadFurtherThanTheStoredOne() {
        events(1, 2, 3, 4);
        // tokens are stored lazily after batches with none of the processor's events
        store(MONEY, 0, GapAwareTrackingToken.newInstance(1, Set.of()));
        Map<String, Map<Integer, TrackingToken>> local = Map.of(MONEY,
                Map.of(0, GapAwareTrackingToken.newInstance(4, Set.of(2L))));

        assertThat(positions.processedByAll(List.of(MONEY), Map.of(), 4)).isFalse();
        assertThat(positions.processedByAll(List.of(MONEY), local, 1)).isTrue();
        assertThat(positions.processedByAll(List.of(MONEY), local, 2)).isFalse();
        assertThat(positions.processedByAll(List.of(MONEY), Map.of(MONEY,
                Map.of(0, GapAwareTrackingToken.newInstance(4, Set.of()))), 4)).isTrue();
        assertThat(positions.processedByAll(List.of(MONEY), local)).isEqualTo(4);
    }

    @Test
    void aReplayTokensGapsAreLookedAtToo() {
        events(1, 2, 3);
        TrackingToken current = GapAwareTrackingToken.newInstance(3, Set.of(2L));
        store(SLIPS, 0, ReplayToken.createReplayToken(GapAwareTrackingToken.newInstance(9, Set.of()), current));

        assertThat(positions.processedByAll(List.of(SLIPS), Map.of(), 2)).isFalse();
        assertThat(positions.processedByAll(List.of(SLIPS), Map.of(), 1)).isTrue();
    }

    private void events(long... indexes) {
        for (long index : indexes) {
            jdbc.sql("""
                            INSERT INTO domainevententry (globalindex, aggregateidentifier, sequencenumber, type,
                                eventidentifier, payload, payloadtype, timestamp)
                            VALUES (:index, :aggregate, 0, 'Test', :id, :payload, 'test', '2026-12-01T00:00:00Z')
                            """)
                    .param("index", index)
                    .param("aggregate", "aggregate-" + index)
                    .param("id", UUID.randomUUID().toString())
                    .param("payload", new byte[] {'{', '}'})
                    .update();
        }
    }

    private void store(String processor, int segment, TrackingToken token) {
        SerializedObject<byte[]> serialized = serializer.serialize(token, byte[].class);
        jdbc.sql("""
                        INSERT INTO tokenentry (processorname, segment, token, tokentype, timestamp)
                        VALUES (:processor, :segment, :token, :type, '2026-12-01T00:00:00Z')
                        ON CONFLICT (processorname, segment) DO UPDATE SET token = EXCLUDED.token,
                            tokentype = EXCLUDED.tokentype
                        """)
                .param("processor", processor)
                .param("segment", segment)
                .param("token", serialized.getData())
                .param("type", serialized.getType().getName())
                .update();
    }
}
