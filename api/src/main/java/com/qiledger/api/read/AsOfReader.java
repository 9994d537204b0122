package com.qiledger.api.read;

import com.qiledger.api.projections.ProjectionReplay;
import com.qiledger.api.projections.ReadModelTables;
import com.qiledger.command.messages.common.AggregateIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code ?asOf=<instant>}: an entity's state as the ledger knew it then, derived from its events.
 * In one read-only transaction, the read-model tables are shadowed by empty temporary twins (the
 * session's, kept from one read to the next: {@link ReadModelTables#shadow}), the entity's events
 * recorded up to that instant (the ledger's recorded time, not the provider's) are fed to the
 * projections' own handlers, and the entity's usual query answers from the twins. The transaction is
 * rolled back, or, when it created the session's twins, commits them emptied; read only, it can
 * write nothing else. The live read models are neither read nor touched, and the answer has exactly
 * the shape of the current state's.
 */
@Component
public class AsOfReader {

    private final EventHistory history;
    private final ReadModelTables tables;
    private final ProjectionReplay replay;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public AsOfReader(EventHistory history, ReadModelTables tables, ProjectionReplay replay, JdbcClient jdbc,
                      TransactionTemplate transactions) {
        this.history = history;
        this.tables = tables;
        this.replay = replay;
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    public Optional<Object> find(EntityReader reader, String key, Instant asOf, QueryGateway queries) {
        List<String> streams = new ArrayList<>();
        streams.add(AggregateIds.of(reader.aggregateType(), key));
        streams.addAll(reader.linkedStreams(key, jdbc));
        return transactions.execute(tx -> {
            List<TrackedEventMessage<?>> known = recordedBy(streams, asOf);
            if (known.stream().noneMatch(e -> e instanceof DomainEventMessage<?> d
                    && d.getAggregateIdentifier().equals(streams.get(0)))) {
                tx.setRollbackOnly();
                return Optional.empty();
            }
            EntityReader.AsOfScope scope = reader.asOfScope();
            List<String> shadowed = scope.all() ? tables.names() : List.copyOf(scope.tables());
            ReadModelTables.Shadowing shadowing = tables.shadow(shadowed);
            // From here PostgreSQL lets the transaction write temporary tables only: a projection
            // reaching a live read-model table (one missing from the scope) fails loudly.
            jdbc.sql("SET TRANSACTION READ ONLY").update();
            known.forEach(event -> replay.apply(event, scope.all() ? null : scope.groups()));
            Optional<Object> found = reader.find(key, queries);
            if (shadowing == ReadModelTables.Shadowing.NEW_TWINS) {
                // Committing keeps the session's new twins; read only, it can have written nothing else.
                tables.emptyTwins(shadowed);
            } else {
                tx.setRollbackOnly();
            }
            return found;
        });
    }

    /** The streams' events recorded at or before {@code asOf}, in global order, with their positions. */
    private List<TrackedEventMessage<?>> recordedBy(List<String> streams, Instant asOf) {
        return history.positioned(streams).stream()
                .filter(event -> !EventHistory.recordedAt((DomainEventMessage<?>) event).isAfter(asOf))
                .toList();
    }
}
