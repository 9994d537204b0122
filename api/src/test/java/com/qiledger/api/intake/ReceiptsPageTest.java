package com.qiledger.api.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qiledger.api.e2e.MigratedDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The receipts' list ({@code GET /api/v1/receipts}): pages walk every receipt of an outcome, or of all
 * outcomes, oldest first (received time, then id, as PostgreSQL orders them) exactly once, and a page
 * reads index ranges only, however many receipts the ledger holds.
 */
class ReceiptsPageTest {

    private static final int RECEIPTS = 2_000;
    private static MigratedDatabase db;
    private static JdbcClient jdbc;

    @BeforeAll
    static void receipts() {
        db = MigratedDatabase.upTo("receipts-page", "latest");
        jdbc = db.jdbc();
        // 2,000 receipts: most applied, some duplicates, a few quarantined, received times in runs of
        // five equal instants (the id decides within a run), ids random
        jdbc.sql("""
                INSERT INTO receipt (receipt_id, body_sha256, body, received_at, outcome, last_attempt_at)
                SELECT gen_random_uuid(), sha256(int4send(i)), int4send(i),
                       TIMESTAMPTZ '2026-12-01 00:00:00+00' + make_interval(secs => i / 5),
                       CASE WHEN i % 20 = 0 THEN 'quarantined' WHEN i % 7 = 0 THEN 'duplicate' ELSE 'applied' END,
                       now()
                FROM generate_series(1, :n) AS i
                """).param("n", RECEIPTS).update();
        jdbc.sql("ANALYZE receipt").update();
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void pagesWalkEveryReceiptOfAnOutcomeOrOfAllOldestFirstOnce() {
        Receipts receipts = new Receipts(jdbc);
        List<String> outcomes = new ArrayList<>(Receipts.OUTCOMES);
        outcomes.add(null);
        for (String outcome : outcomes) {
            List<UUID> expected = jdbc.sql("""
                            SELECT receipt_id FROM receipt WHERE CAST(:outcome AS VARCHAR) IS NULL OR outcome = :outcome
                            ORDER BY received_at, receipt_id
                            """).param("outcome", outcome).query(UUID.class).list();
            List<UUID> walked = new ArrayList<>();
            UUID after = null;
            while (true) {
                List<Receipts.ReceiptRecord> page = receipts.page(outcome, after, 37);
                if (page.isEmpty()) {
                    break;
                }
                assertThat(page.size()).isLessThanOrEqualTo(37);
                page.forEach(r -> walked.add(r.receipt()));
                after = page.get(page.size() - 1).receipt();
            }
            assertThat(walked).as("outcome %s", outcome).hasSize(expected.size()).isEqualTo(expected);
        }
        assertThat(receipts.page("lost", null, 10)).isEmpty();
        assertThat(receipts.page(null, UUID.randomUUID(), 10)).as("a cursor that names no receipt").isEmpty();
    }

    /**
     * The old single statement ("outcome, if given") had no index in its order without an outcome: it read
     * all 2,000 receipts for every page. Each outcome's range now stops at the page's size. Planned as the
     * service's pool plans it ({@code enable_seqscan} off, application.yml).
     */
    @Test
    void aPageReadsIndexRangesNotTheTable() throws Exception {
        UUID middle = jdbc.sql("SELECT receipt_id FROM receipt ORDER BY received_at, receipt_id OFFSET 1000 LIMIT 1")
                .query(UUID.class).single();
        for (boolean oneOutcome : new boolean[] {false, true}) {
            for (boolean cursor : new boolean[] {false, true}) {
                String sql = Receipts.pageSql(oneOutcome, cursor).replace(":limit", "50")
                        .replace(":outcome", "'duplicate'").replace(":after", "'" + middle + "'");
                // each outcome's range: at most the page; each cursor's lookup: one row
                assertThat(rowsReadFromReceipt(sql)).as("one outcome %s, cursor %s", oneOutcome, cursor)
                        .isLessThanOrEqualTo(3 * 50 + 3);
            }
        }
    }

    /** The rows the plan's scans of {@code receipt} returned, over all loops, by {@code EXPLAIN ANALYZE}. */
    private static long rowsReadFromReceipt(String sql) throws Exception {
        try (Connection connection = db.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET enable_seqscan TO off");
            StringBuilder json = new StringBuilder();
            try (ResultSet rs = statement.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)) {
                while (rs.next()) {
                    json.append(rs.getString(1));
                }
            }
            return rows(new ObjectMapper().readTree(json.toString()).get(0).get("Plan"));
        }
    }

    private static long rows(JsonNode node) {
        long read = 0;
        if ("receipt".equals(node.path("Relation Name").asText()) && node.path("Node Type").asText().contains("Scan")) {
            read += node.path("Actual Rows").asLong() * node.path("Actual Loops").asLong();
        }
        for (JsonNode child : node.path("Plans")) {
            read += rows(child);
        }
        return read;
    }
}
