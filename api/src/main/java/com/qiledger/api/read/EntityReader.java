package com.qiledger.api.read;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One entity type of the read API: the path segment of {@code GET /api/v1/{path}/{key}}, the
 * aggregate type whose history {@code /history} shows, and how to find one entity's current state.
 * Each family declares its own reader as a bean, so adding a family never edits the controller.
 *
 * @param path          path segment, as the API names it: {@code bank-slips}, {@code debts}, ...
 * @param aggregateType aggregate type of the entity's event stream: {@code BankSlip}, {@code Debt}, ...
 * @param noun          how a missing entity is named in a 404: {@code bank slip}, {@code debt}, ...
 * @param asOfScope     what {@code ?asOf=} must rebuild to answer (see {@link AsOfScope})
 * @param finder        the current state of one entity, or empty when the ledger does not know it
 * @param linked        other event streams whose events the entity's answer includes
 */
public record EntityReader(String path, String aggregateType, String noun, AsOfScope asOfScope, Finder finder,
                           LinkedStreams linked) {

    /** How one entity's current state is found. Blocking. */
    @FunctionalInterface
    public interface Finder {
        Optional<Object> find(String key, QueryGateway queries);
    }

    /** The event streams, other than the entity's own, whose events its answer includes. */
    @FunctionalInterface
    public interface LinkedStreams {
        LinkedStreams NONE = (key, jdbc) -> List.of();

        List<String> of(String key, JdbcClient jdbc);
    }

    /** The current state of one entity, or empty when the ledger does not know it. Blocking. */
    public Optional<Object> find(String key, QueryGateway queries) {
        return finder.find(key, queries);
    }

    /**
     * Other event streams whose events the entity's answer includes (a debt lists its
     * installments); {@code ?asOf=} replays them too.
     */
    public List<String> linkedStreams(String key, JdbcClient jdbc) {
        return linked.of(key, jdbc);
    }

    /**
     * What {@code ?asOf=} must rebuild to answer: the processing groups whose projections build and
     * answer this entity, and every table those projections read or write. Only they are shadowed
     * and replayed, which keeps an {@code asOf} read from re-creating every read model's tables.
     * Empty means all projections and all read-model tables ({@link #ALL}).
     */
    public record AsOfScope(Set<String> groups, Set<String> tables) {
        public static final AsOfScope ALL = new AsOfScope(Set.of(), Set.of());

        public static AsOfScope of(Set<String> groups, String... tables) {
            return new AsOfScope(Set.copyOf(groups), Set.of(tables));
        }

        public boolean all() {
            return groups.isEmpty();
        }

        public AsOfScope and(AsOfScope other) {
            Set<String> g = new HashSet<>(groups);
            g.addAll(other.groups);
            Set<String> t = new HashSet<>(tables);
            t.addAll(other.tables);
            return new AsOfScope(g, t);
        }
    }

    /** A reader answered by one query whose handler returns {@code Optional<view>}; no linked streams. */
    static <V> EntityReader of(String path, String aggregateType, String noun,
                               Function<String, Object> query, Class<V> viewType, AsOfScope scope) {
        return new EntityReader(path, aggregateType, noun, scope,
                (key, queries) -> queries.query(query.apply(key), ResponseTypes.optionalInstanceOf(viewType))
                        .join()
                        .map(Object.class::cast),
                LinkedStreams.NONE);
    }
}
