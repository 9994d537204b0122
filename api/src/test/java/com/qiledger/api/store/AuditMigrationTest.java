package com.qiledger.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.qiledger.api.audit.Verification;
import com.qiledger.api.audit.VerifyCommand;
import com.qiledger.api.e2e.MigratedDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A ledger written before issue 21 upgraded by V17: its events get their links from the migration's SQL
 * twin of the encoding, the verifier finds them intact, and the service's next event of such a stream
 * chains on from the migrated link.
 */
class AuditMigrationTest {

    @Test
    void eventsWrittenBeforeV17AreLinkedByItAndTheNextOneChainsOn() throws Exception {
        try (MigratedDatabase db = MigratedDatabase.upTo("audit-migration", "14")) {
            DriverManagerDataSource dataSource = db.dataSource();
            JdbcClient jdbc = db.jdbc();
            // as the version before wrote them: a receipt, and two events of one stream naming it
            UUID receipt = UUID.randomUUID();
            byte[] body = "{\"webhook_type\":\"bank_slip.status_change\",\"status\":\"paid\"}"
                    .getBytes(StandardCharsets.UTF_8);
            jdbc.sql("INSERT INTO receipt (receipt_id, body_sha256, body, content_type, webhook_type, received_at, "
                            + "outcome, attempts, last_attempt_at) VALUES (:id, :sha, :body, 'application/json', "
                            + "'bank_slip.status_change', now(), 'applied', 1, now())")
                    .param("id", receipt).param("sha", MessageDigest.getInstance("SHA-256").digest(body))
                    .param("body", body).update();
            MetaData metadata = MetaData.from(Map.of("receiptId", receipt.toString()));
            String stream = "BankSlip:" + UUID.randomUUID();
            engine(dataSource, false).appendEvents(List.of(
                    new GenericDomainEventMessage<>("BankSlip", stream, 0, "registered", metadata),
                    new GenericDomainEventMessage<>("BankSlip", stream, 1, "paid", metadata),
                    new GenericDomainEventMessage<>("BankSlip", "BankSlip:no-receipt", 0, "alone")));

            db.migrate();
            assertThat(jdbc.sql("SELECT count(*) FROM audit_chain").query(Long.class).single()).isEqualTo(3);
            engine(dataSource, true).appendEvents(List.of(
                    new GenericDomainEventMessage<>("BankSlip", stream, 2, "written off", metadata)));

            try (Connection c = dataSource.getConnection()) {
                Verification v = VerifyCommand.verify(c, Optional.empty(), Optional.empty());
                assertThat(v.breaks()).isEmpty();
                assertThat(v.links()).isEqualTo(4);
            }
            // and it is the encoding that is checked: one byte of the migrated stream's first event changed
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (var s = c.createStatement()) {
                    s.execute("SET LOCAL session_replication_role = replica");
                    s.execute("UPDATE domainevententry SET payload = set_byte(payload, 1, get_byte(payload, 1) # 1) "
                            + "WHERE aggregateidentifier = '" + stream + "' AND sequencenumber = 0");
                }
                assertThat(VerifyCommand.check(c, Optional.empty(), Optional.empty()).breaks())
                        .extracting(Verification.Break::what).contains("payload edited");
                c.rollback();
            }
        }
    }

    static LedgerEventStorageEngine engine(DriverManagerDataSource dataSource, boolean chain) {
        JacksonSerializer serializer = JacksonSerializer.defaultSerializer();
        return new LedgerEventStorageEngine(JdbcEventStorageEngine.builder()
                .connectionProvider(new DataSourceConnectionProvider(dataSource))
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .persistenceExceptionResolver(new JdbcSQLErrorCodesResolver()), NoTransactionManager.INSTANCE, chain);
    }
}
