package com.qiledger.api.ops;

import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The read models' tables: every table of the {@code public} schema that no one but a projection
 * writes. Everything else there is the record itself (events, tokens, receipts, re-drives, dead
 * letters) or Flyway's, and is named here; a new table of that kind must be added to the list.
 */
@Component
public class ReadModelTables {

    static final Set<String> NOT_READ_MODELS = Set.of("domainevententry", "snapshotevententry", "tokenentry",
            "sagaentry", "associationvalueentry", "deadletterentry", "flyway_schema_history", "receipt",
            "receipt_redrive");

    private final JdbcClient jdbc;

    public ReadModelTables(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<String> names() {
        return jdbc.sql("""
                        SELECT table_name FROM information_schema.tables
                        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
                        ORDER BY table_name
                        """)
                .query(String.class)
                .list()
                .stream()
                .filter(name -> !NOT_READ_MODELS.contains(name))
                .toList();
    }

    /**
     * Empty temporary twins of every read-model table for the current transaction. PostgreSQL
     * searches the session's temporary schema first, so the projections' unqualified SQL reads and
     * writes the twins until the transaction ends and drops them.
     */
    public void shadowWithEmptyTemporaryTables() {
        shadowWithEmptyTemporaryTables(names());
    }

    /** As above, for the given tables only. */
    public void shadowWithEmptyTemporaryTables(java.util.Collection<String> only) {
        for (String table : only) {
            jdbc.sql("CREATE TEMPORARY TABLE " + quote(table) + " (LIKE public." + quote(table)
                    + " INCLUDING ALL) ON COMMIT DROP").update();
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
