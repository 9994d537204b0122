package com.qiledger.api.projections;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which sessions may keep asOf's temporary twins: those searching pg_temp explicitly after public. */
class ReadModelTablesTest {

    @Test
    void onlyAnExplicitPgTempAfterPublicLetsASessionKeepTwins() {
        assertThat(ReadModelTables.searchesTemporarySchemaLast("public, pg_temp")).isTrue();
        assertThat(ReadModelTables.searchesTemporarySchemaLast("\"$user\", public, pg_temp")).isTrue();
        assertThat(ReadModelTables.searchesTemporarySchemaLast("ledger_rebuild,public,pg_temp")).isTrue();
        // PostgreSQL searches pg_temp first when the path does not name it
        assertThat(ReadModelTables.searchesTemporarySchemaLast("\"$user\", public")).isFalse();
        assertThat(ReadModelTables.searchesTemporarySchemaLast("public")).isFalse();
        assertThat(ReadModelTables.searchesTemporarySchemaLast("pg_temp, public")).isFalse();
        assertThat(ReadModelTables.searchesTemporarySchemaLast("pg_temp")).isFalse();
        assertThat(ReadModelTables.searchesTemporarySchemaLast("")).isFalse();
    }
}
