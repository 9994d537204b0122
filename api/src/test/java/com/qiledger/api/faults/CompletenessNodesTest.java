package com.qiledger.api.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.completeness.NotificationApi;
import com.qiledger.api.provider.ProviderStub;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 28 with two real nodes (two JVMs) on one PostgreSQL, both sweeping on a short schedule against
 * the signature-checking stub of the provider's notification API: the provider never sees two listings at
 * once (one sweep at a time, by the advisory lock), and when the node that is sweeping is SIGKILLed in the
 * middle of a sweep, the other node resumes that same sweep from its watermark and completes it, asking
 * again for nothing but the page that was in flight.
 */
class CompletenessNodesTest {

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void twoNodesSweepOneAtATimeAndTheSurvivorResumesAKilledNodesSweepFromItsWatermark() {
        try (NotificationApi provider = new NotificationApi();
                FaultDatabase database = FaultDatabase.start("completeness-nodes")) {
            Instant day = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(9));
            for (int i = 0; i < 6; i++) {
                provider.add("ev-nodes-" + i, "bank_slip_registered", "slip-" + i, day.plusSeconds(i), new byte[0],
                        "sent");
            }
            // every listing's first page takes a while: a sweep (5 windows) lasts a few seconds
            provider.slowPage = 1;
            provider.slowBy = Duration.ofMillis(700);
            String[] settings = {"ledger.provider.base-url=" + provider.stub.baseUrl(),
                    "ledger.provider.client-key=" + ProviderStub.CLIENT_KEY,
                    "ledger.provider.private-key=" + ProviderStub.keyFile("partner-ec-private.pem"),
                    "ledger.provider.timeout=5s", "ledger.provider.sweep.interval=1s",
                    "ledger.provider.sweep.lookback=4d", "logging.level.com.qiledger.api.completeness=INFO"};
            try (LedgerNode a = LedgerNode.launch("sweep-a", database, settings);
                    LedgerNode b = LedgerNode.launch("sweep-b", database, settings)) {
                a.awaitHealthy(Duration.ofSeconds(120));
                b.awaitHealthy(Duration.ofSeconds(120));
                var jdbc = database.jdbc();

                // a sweep in the middle: some pages recorded, no end yet
                Faults.await("a sweep with pages recorded and no end", Duration.ofSeconds(90), () -> !open(database)
                        .isEmpty());
                Map<String, Object> sweep = open(database).get(0);
                Object sweepId = sweep.get("sweep_id");
                String owner = (String) sweep.get("node");
                long ownerPid = Long.parseLong(owner.substring(0, owner.indexOf('@')));
                LedgerNode victim = a.process.pid() == ownerPid ? a : b;
                LedgerNode survivor = victim == a ? b : a;
                assertThat(victim.process.pid()).isEqualTo(ownerPid);
                assertThat(provider.mostAtOnce.get()).as("listings answered at once before the kill").isEqualTo(1);
                victim.process.destroyForcibly(); // SIGKILL in the middle of the sweep
                Faults.await("the killed node is gone", Duration.ofSeconds(30), () -> !victim.process.isAlive());

                Faults.await("the survivor completes the killed node's sweep", Duration.ofSeconds(90), () -> "completed"
                        .equals(jdbc.sql("SELECT outcome FROM completeness.sweep_end WHERE sweep_id = ?")
                                .param(sweepId).query(String.class).optional().orElse(null)));

                String survivorPrefix = survivor.process.pid() + "@";
                List<Map<String, Object>> pages = jdbc.sql("""
                                SELECT seq, window_start, page, outcome, node FROM completeness.page
                                WHERE sweep_id = ? ORDER BY seq""").param(sweepId).query().listOfRows();
                int firstBySurvivor = 0;
                while (firstBySurvivor < pages.size() && owner.equals(pages.get(firstBySurvivor).get("node"))) {
                    firstBySurvivor++;
                }
                assertThat(firstBySurvivor).as("pages recorded by the killed node").isGreaterThanOrEqualTo(2);
                assertThat(pages.subList(firstBySurvivor, pages.size())).as("pages recorded after the kill")
                        .isNotEmpty().allSatisfy(p -> assertThat((String) p.get("node")).startsWith(survivorPrefix));
                // resumed from the watermark: no page of the sweep was read twice
                assertThat(pages.stream().filter(p -> !"failed".equals(p.get("outcome")))
                        .map(p -> p.get("window_start") + " " + p.get("page")).toList()).doesNotHaveDuplicates();
                assertThat(jdbc.sql("SELECT sum(events) FROM completeness.page WHERE sweep_id = ?").param(sweepId)
                        .query(Long.class).single()).isEqualTo(6);

                // the survivor goes on sweeping on its schedule; never two listings at once at the provider
                long ended = ended(database);
                provider.mostAtOnce.set(0);
                Faults.await("the survivor sweeps again", Duration.ofSeconds(60), () -> ended(database) > ended);
                assertThat(provider.mostAtOnce.get()).as("listings answered at once").isEqualTo(1);
                assertThat(jdbc.sql("""
                                SELECT count(*) FROM completeness.sweep s JOIN completeness.sweep_end e USING (sweep_id)
                                JOIN completeness.sweep s2 ON s2.sweep_id <> s.sweep_id AND s2.started_at > s.started_at
                                    AND s2.started_at < e.ended_at""").query(Long.class).single())
                        .as("sweeps that started while another was running").isZero();
                assertThat(provider.stub.all()).allSatisfy(r -> assertThat(provider.stub.refusal(r)).isNull());
            }
        }
    }

    static List<Map<String, Object>> open(FaultDatabase database) {
        return database.jdbc().sql("""
                        SELECT s.sweep_id, s.node FROM completeness.sweep s
                        WHERE NOT EXISTS (SELECT 1 FROM completeness.sweep_end e WHERE e.sweep_id = s.sweep_id)
                          AND (SELECT count(*) FROM completeness.page p WHERE p.sweep_id = s.sweep_id) >= 2
                        """)
                .query().listOfRows();
    }

    static long ended(FaultDatabase database) {
        return database.jdbc().sql("SELECT count(*) FROM completeness.sweep_end").query(Long.class).single();
    }
}
