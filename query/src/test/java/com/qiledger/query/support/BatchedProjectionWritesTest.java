package com.qiledger.query.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;

class BatchedProjectionWritesTest {

    /** A connection that dies in the middle of a JDBC batch, as pgjdbc reports it: an Error. */
    static NamedParameterJdbcOperations dyingInBatch() {
        return (NamedParameterJdbcOperations) Proxy.newProxyInstance(BatchedProjectionWritesTest.class.getClassLoader(),
                new Class<?>[] {NamedParameterJdbcOperations.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getJdbcOperations")) {
                        return Proxy.newProxyInstance(BatchedProjectionWritesTest.class.getClassLoader(),
                                new Class<?>[] {org.springframework.jdbc.core.JdbcOperations.class}, (p, m, a) -> {
                                    if (m.getName().equals("batchUpdate") || m.getName().equals("update")) {
                                        throw new AssertionError("pgStatement.getConnection().getAutoCommit() should not throw");
                                    }
                                    throw new UnsupportedOperationException(m.getName());
                                });
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aDriverErrorWhileSendingIsAnExceptionAndEveryEventOfTheBatchIsRememberedAsFailed() {
        NamedParameterJdbcOperations jdbc = dyingInBatch();
        BatchedWrites.Run run = BatchedWrites.open(jdbc);
        try {
            BatchedWrites.sql(JdbcClient.create(new JdbcTemplate()), "INSERT INTO some_view (k) VALUES (:k)").param("k", 1).update();
            List<String> failed = new ArrayList<>();
            assertThatThrownBy(() -> BatchedProjectionWrites.send(run, List.of("event-1", "event-2"), failed::add))
                    .isInstanceOf(IllegalStateException.class)
                    .hasCauseInstanceOf(AssertionError.class);
            assertThat(failed).containsExactly("event-1", "event-2");
            assertThat(run.isOpen()).isFalse();
        } finally {
            run.close();
        }
    }

    @Test
    void aRunAlreadyClosedSendsNothing() {
        BatchedWrites.Run run = BatchedWrites.open(dyingInBatch());
        run.close();
        List<String> failed = new ArrayList<>();
        BatchedProjectionWrites.send(run, List.of("event-1"), failed::add);
        assertThat(failed).isEmpty();
    }
}
