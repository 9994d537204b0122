package com.qiledger.api.read;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One entity type of the read API: the path segment of {@code GET /api/v1/{path}/{key}}, the
 * aggregate type whose history {@code /history} shows, and how to find one entity's current state.
 * Each family declares its own reader as a bean, so adding a family never edits the controller.
 */
public interface EntityReader {

    /** Path segment, as API.md names it: {@code bank-slips}, {@code debts}, ... */
    String path();

    /** Aggregate type of the entity's event stream: {@code BankSlip}, {@code Debt}, ... */
    String aggregateType();

    /** How a missing entity is named in a 404: {@code bank slip}, {@code debt}, ... */
    String noun();

    /** The current state of one entity, or empty when the ledger does not know it. Blocking. */
    Optional<Object> find(String key, QueryGateway queries);

    /**
     * Other event streams whose events the entity's answer includes (a debt lists its
     * installments); {@code ?asOf=} replays them too. None by default.
     */
    default List<String> linkedStreams(String key, JdbcClient jdbc) {
        return List.of();
    }

    /**
     * What {@code ?asOf=} must rebuild to answer: the processing groups whose projections build and
     * answer this entity, and every table those projections read or write. Only they are shadowed
     * and replayed, which keeps an {@code asOf} read from re-creating every read model's tables.
     * Empty means all projections and all read-model tables.
     */
    default AsOfScope asOfScope() {
        return AsOfScope.ALL;
    }

    /** Processing groups and their tables; {@link #ALL} when both are empty. */
    record AsOfScope(java.util.Set<String> groups, java.util.Set<String> tables) {
        public static final AsOfScope ALL = new AsOfScope(java.util.Set.of(), java.util.Set.of());

        public static AsOfScope of(java.util.Set<String> groups, String... tables) {
            return new AsOfScope(java.util.Set.copyOf(groups), java.util.Set.of(tables));
        }

        public boolean all() {
            return groups.isEmpty();
        }

        public AsOfScope and(AsOfScope other) {
            java.util.Set<String> g = new java.util.HashSet<>(groups);
            g.addAll(other.groups);
            java.util.Set<String> t = new java.util.HashSet<>(tables);
            t.addAll(other.tables);
            return new AsOfScope(g, t);
        }
    }

    /** A reader answered by one query whose handler returns {@code Optional<view>}. */
    static <V> EntityReader of(String path, String aggregateType, String noun,
                               Function<String, Object> query, Class<V> viewType) {
        return of(path, aggregateType, noun, query, viewType, AsOfScope.ALL);
    }

    /** As above, with the scope {@code ?asOf=} rebuilds. */
    static <V> EntityReader of(String path, String aggregateType, String noun,
                               Function<String, Object> query, Class<V> viewType, AsOfScope scope) {
        return new EntityReader() {
            @Override
            public AsOfScope asOfScope() {
                return scope;
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public String aggregateType() {
                return aggregateType;
            }

            @Override
            public String noun() {
                return noun;
            }

            @Override
            public Optional<Object> find(String key, QueryGateway queries) {
                return queries.query(query.apply(key), ResponseTypes.optionalInstanceOf(viewType))
                        .join()
                        .map(Object.class::cast);
            }
        };
    }
}
