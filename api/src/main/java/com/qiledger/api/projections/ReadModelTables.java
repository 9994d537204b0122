package com.qiledger.api.projections;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
            "receipt_redrive", "delivery_failure", "partner_call_dispatch", "audit_chain", "audit_digest");

    private static final Logger log = LoggerFactory.getLogger(ReadModelTables.class);

    /**
     * Every session's search_path (spring.datasource.hikari.connection-init-sql): pg_temp named, and
     * last, so that the asOf twins a session keeps shadow nothing outside an asOf read.
     */
    public static final String SESSION_SEARCH_PATH = "public, pg_temp";

    private final JdbcClient jdbc;
    private volatile boolean warned;

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

    /** How {@link #shadow} shadowed the tables, and so how the transaction must end. */
    public enum Shadowing {
        /** The session already had the twins; roll back, and they are empty again. */
        KEPT_TWINS,
        /** Twins were created in this transaction; empty them and commit, and the session keeps them. */
        NEW_TWINS,
        /** The session's search_path does not list pg_temp after public: twins dropped at the end. */
        DROPPED_AT_END
    }

    /**
     * Shadows the given read-model tables, for the current transaction only, with empty temporary
     * twins, so that the projections' unqualified SQL reads and writes the twins.
     *
     * <p>A session keeps its twins from one such transaction to the next (each ends empty): creating
     * them is DDL, which made every asOf read pay about 1.5 ms plus the re-planning of every statement
     * the session had prepared. Keeping them is safe only because the pool's sessions search
     * {@code public} before {@code pg_temp} ({@code spring.datasource.hikari.connection-init-sql}),
     * so outside this transaction the twins shadow nothing; here {@code pg_temp} is put first with a
     * transaction-local search_path. A session whose search_path does not list {@code pg_temp} after
     * {@code public} (PostgreSQL then searches it first, implicitly) gets twins dropped at the end of
     * the transaction instead, as before.
     */
    public Shadowing shadow(Collection<String> only) {
        Map<String, Object> session = jdbc.sql("""
                        SELECT current_setting('search_path') AS path,
                               (SELECT string_agg(relname, ',') FROM pg_class
                                WHERE relnamespace = pg_my_temp_schema() AND relkind = 'r'
                                  AND relname IN (:names)) AS twins
                        """)
                .param("names", List.copyOf(only))
                .query().singleRow();
        if (!searchesTemporarySchemaLast((String) session.get("path"))) {
            warnOnce((String) session.get("path"));
            only.forEach(table -> createTwin(table, " ON COMMIT DROP"));
            return Shadowing.DROPPED_AT_END;
        }
        Set<String> present = session.get("twins") == null ? Set.of()
                : Set.of(((String) session.get("twins")).split(","));
        boolean created = false;
        for (String table : only) {
            if (!present.contains(table)) {
                createTwin(table, "");
                created = true;
            }
        }
        jdbc.sql("SELECT set_config('search_path', 'pg_temp, public', true)").query((rs, n) -> 1).list();
        return created ? Shadowing.NEW_TWINS : Shadowing.KEPT_TWINS;
    }

    private void createTwin(String table, String onCommit) {
        jdbc.sql("CREATE TEMPORARY TABLE " + quote(table) + " (LIKE public." + quote(table) + " INCLUDING ALL)"
                + onCommit).update();
    }

    /** Empties the session's twins of the given tables (before a commit that keeps them). */
    public void emptyTwins(Collection<String> only) {
        for (String table : only) {
            jdbc.sql("DELETE FROM pg_temp." + quote(table)).update();
        }
    }

    /**
     * Whether a search_path lists {@code pg_temp} explicitly after {@code public}: only then does an
     * unqualified name reach a temporary table after the {@code public} one of that name.
     */
    static boolean searchesTemporarySchemaLast(String searchPath) {
        List<String> schemas = new ArrayList<>();
        for (String part : searchPath.split(",")) {
            schemas.add(part.trim().replace("\"", ""));
        }
        int publicAt = schemas.indexOf("public");
        int tempAt = schemas.indexOf("pg_temp");
        return publicAt >= 0 && tempAt > publicAt;
    }

    private void warnOnce(String path) {
        if (!warned) {
            warned = true;
            log.warn("asOf reads create and drop their temporary tables on every read: the session's "
                    + "search_path ({}) does not list pg_temp after public (see "
                    + "spring.datasource.hikari.connection-init-sql)", path);
        }
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
