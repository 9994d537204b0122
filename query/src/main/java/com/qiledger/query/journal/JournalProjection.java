package com.qiledger.query.journal;

import static com.qiledger.query.support.Sql.timestamp;

import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.command.messages.common.LedgerEvent;
import com.qiledger.command.messages.common.LedgerMetaData;
import com.qiledger.query.support.BatchableHandlers;
import com.qiledger.query.support.BatchedWrites;
import com.qiledger.query.support.MultiRowInsert;
import com.qiledger.query.support.Positions;
import java.math.BigDecimal;
import java.sql.Types;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The double-entry journal (docs/finance.md): each monetary event becomes one balanced transaction
 * ({@link JournalEntries}, whose table is {@link JournalRule}), its postings, the accounts they name
 * and every prefix of them down to the posting's fixed account (an entity's own addresses below it are
 * the prefixes of its postings' accounts, not rows: V30), and what each posting's <em>fixed account</em>
 * moved in each day, month and year ({@link Span}): the deepest of its prefixes that is no entity's (its rule's address up to the
 * first key, e.g. {@code assets:in_transit:bank_slips}; the whole address when it has no key). A
 * prefix above it is read as the sum of the fixed accounts below it (V29's
 * {@code journal_balance_as_of}), so a posting adds to three balance rows, not three per prefix: under
 * load with dates spread over a year these upserts were the costliest statement of the write path
 * (issue 20: 43 µs of PostgreSQL per webhook for about six rows).
 *
 * <p>What a transaction posts depends on the event and on its entity's standing figures before it:
 * one entity's events reach every processor in the entity's order (an aggregate's next event is
 * appended only after the one before it commits), so the journal is the same whatever the order of
 * other entities' events, and a rebuild reproduces it exactly. An event is entered once: its
 * transaction is keyed by its position and event id, and a live handler that finds it entered
 * writes nothing more ({@link BatchedWrites.Write#applyGuarded()}).
 *
 * <p>Batchable: every write goes through {@link BatchedWrites}, one table each, one statement text per
 * table; the figures of an entity are read once per batched run and then kept here
 * ({@link #FIGURES}), so no handler needs a queued write to read it back.
 */
@Component
@BatchableHandlers
@ProcessingGroup(JournalProjection.PROCESSING_GROUP)
public class JournalProjection {

    public static final String PROCESSING_GROUP = "journal";

    static final String INSERT_TRANSACTION = """
            INSERT INTO journal_transaction (position, event_id, event_type, entity, entity_key, receipt_id,
                effective_date, recorded_at, debits, credits)
            VALUES (:position, :eventId, :eventType, :entity, :key, :receipt, :date, :recordedAt, :debits, :credits)
            ON CONFLICT DO NOTHING
            """;

    static final String INSERT_POSTING = """
            INSERT INTO journal_posting (position, line, account, debit, credit, effective_date, reverses)
            VALUES (:position, :line, :account, :debit, :credit, :date, :reverses)
            """;

    /**
     * An account at or above its rule's fixed depth (V30): an entity's own addresses below it are not rows
     * here; they are the prefixes of its postings' accounts ({@link JournalQueries}). Writing one row per
     * entity with its two index entries cost 26 µs of PostgreSQL per webhook (issue 20, pg_stat_statements).
     */
    static final String INSERT_ACCOUNT = """
            INSERT INTO journal_account (address, parent, depth) VALUES (:address, :parent, :depth)
            ON CONFLICT DO NOTHING
            """;

    /**
     * Adds a posting's amounts to one span of its fixed account's balance ({@code journal_balance}: the
     * day, the month or the year it is dated in). Three of these per posting, however far back it is
     * dated: no later row is rewritten.
     */
    static final String MOVE_BALANCE = MultiRowInsert.distinctRows("""
            INSERT INTO journal_balance AS b (account, span, period, debits, credits)
            VALUES (:account, :span, :period, :debit, :credit)
            ON CONFLICT (account, span, period) DO UPDATE SET debits = b.debits + EXCLUDED.debits,
                credits = b.credits + EXCLUDED.credits
            """);

    /** The spans of {@code journal_balance} and the first day of each that a date falls in. */
    enum Span {
        D, M, Y;

        java.time.LocalDate period(java.time.LocalDate day) {
            return switch (this) {
                case D -> day;
                case M -> day.withDayOfMonth(1);
                case Y -> day.withDayOfYear(1);
            };
        }
    }

    /** Distinct rows: a batched run queues one write per figure and folds later changes into it ({@link #SET}). */
    static final String SET_FIGURE = MultiRowInsert.distinctRows("""
            INSERT INTO journal_figure AS f (entity, entity_key, figure, amount, debit_account, credit_account, position,
                effective_date)
            VALUES (:entity, :key, :figure, :amount, :debit, :credit, :position, :date)
            ON CONFLICT (entity, entity_key, figure) DO UPDATE SET amount = EXCLUDED.amount,
                debit_account = EXCLUDED.debit_account, credit_account = EXCLUDED.credit_account,
                position = EXCLUDED.position, effective_date = EXCLUDED.effective_date
            WHERE f.position < EXCLUDED.position
            """);

    /** Whether this batched run has read the figures of its batch's entities (one query, {@link #prefetch}). */
    private static final BatchedWrites.RunLocal<java.util.Set<Boolean>> PREFETCHED =
            new BatchedWrites.RunLocal<>(java.util.HashSet::new);

    /** In a batched run, each entity's figures as the events replayed so far left them. */
    private static final BatchedWrites.RunLocal<Map<JournalEntries.EntityRef, Map<String, Figure>>> FIGURES =
            new BatchedWrites.RunLocal<>(HashMap::new);

    /**
     * In a batched run, the addresses already queued for {@code journal_account} and the balance moves
     * already queued per address, span and period. A later posting of the same row is added to the
     * queued move's parameters instead of queuing another: updating one row hundreds of times in one
     * transaction (a busy day's {@code assets}) made each update walk the row's versions of that
     * transaction. Moves are additions, so they commute: one per row in a run writes the same balances.
     */
    private static final BatchedWrites.RunLocal<Moves> MOVES = new BatchedWrites.RunLocal<>(Moves::new);

    /**
     * In a batched run, the figure write already queued per entity and figure: a later change of the
     * same figure in the run replaces its parameters (positions only grow in a run, so the last change
     * is the one the guard would keep), and a run's statement never names one figure twice.
     */
    private static final BatchedWrites.RunLocal<Map<FigureKey, BatchedWrites.Write>> SET =
            new BatchedWrites.RunLocal<>(HashMap::new);

    private record FigureKey(JournalEntries.EntityRef entity, String figure) {
    }

    /**
     * A balance row: account, span, period. Written out, not a record: a record's equals and hashCode go
     * through method-handle combinators, and this key is looked up once per address, span and event
     * (JFR: the record's equals and hashCode were 7 % of the journal processor's samples).
     */
    private static final class Move {

        private final String account;
        private final Span span;
        private final java.time.LocalDate period;
        private final int hash;

        Move(String account, Span span, java.time.LocalDate period) {
            this.account = account;
            this.span = span;
            this.period = period;
            this.hash = (account.hashCode() * 31 + span.ordinal()) * 31 + period.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Move m && hash == m.hash && span == m.span && account.equals(m.account)
                    && period.equals(m.period);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A queued balance move and what it adds so far. */
    private static final class Moved {

        private final BatchedWrites.Write write;
        private BigDecimal debit;
        private BigDecimal credit;

        Moved(BatchedWrites.Write write, BigDecimal debit, BigDecimal credit) {
            this.write = write;
            this.debit = debit;
            this.credit = credit;
        }

        /** Adds to the queued write's parameters (it is sent with the values it holds at the end of the run). */
        void add(BigDecimal moreDebit, BigDecimal moreCredit) {
            debit = debit.add(moreDebit);
            credit = credit.add(moreCredit);
            write.param("debit", debit).param("credit", credit);
        }
    }

    private record Moves(java.util.Set<String> accounts, Map<Move, Moved> balances) {

        Moves() {
            this(new java.util.HashSet<>(), new HashMap<>());
        }
    }

    private final JdbcClient jdbc;

    public JournalProjection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    public void on(LedgerEvent event, EventMessage<?> message, TrackingToken token) {
        Optional<JournalEntries.EntityRef> entity = JournalEntries.entityOf(event);
        if (entity.isEmpty()) {
            return;
        }
        Map<JournalEntries.EntityRef, Map<String, Figure>> run = FIGURES.get().orElse(null);
        if (run != null && PREFETCHED.get().map(p -> p.add(Boolean.TRUE)).orElse(false)) {
            prefetch(run);
        }
        boolean first = firstOfEntity(message, entity.get());
        Map<String, Figure> figures = run == null ? (first ? new HashMap<>() : stored(entity.get()))
                : run.computeIfAbsent(entity.get(), e -> first ? new HashMap<>() : stored(e));
        long position = Positions.of(message, token, jdbc);
        JournalEntries.Draft draft = JournalEntries.draft(event, entity.get(), figures, position,
                message.getIdentifier());
        if (draft.postings().isEmpty()) {
            return;
        }
        Object receipt = message.getMetaData().get(LedgerMetaData.RECEIPT_ID);
        boolean entered = BatchedWrites.sql(jdbc, INSERT_TRANSACTION)
                .param("position", position)
                .param("eventId", message.getIdentifier())
                .param("eventType", draft.eventType())
                .param("entity", entity.get().entity())
                .param("key", entity.get().key())
                .param("receipt", receipt == null ? null : receipt.toString(), Types.VARCHAR)
                .param("date", draft.effectiveDate(), Types.DATE)
                .param("recordedAt", timestamp(event.recordedAt()))
                .param("debits", draft.debits())
                .param("credits", draft.credits())
                .applyGuarded();
        if (!entered) {
            return;
        }
        java.util.Set<String> nodes = new java.util.LinkedHashSet<>();
        Map<String, BigDecimal[]> moves = new LinkedHashMap<>();
        for (Posting p : draft.postings()) {
            BatchedWrites.sql(jdbc, INSERT_POSTING)
                    .param("position", position)
                    .param("line", p.line())
                    .param("account", p.account())
                    .param("debit", p.debit() == null ? BigDecimal.ZERO : p.debit())
                    .param("credit", p.credit() == null ? BigDecimal.ZERO : p.credit())
                    .param("date", draft.effectiveDate(), Types.DATE)
                    .param("reverses", p.reverses(), Types.BIGINT)
                    .update();
            int fixed = JournalRule.fixedDepth(p.account());
            for (String node : Accounts.selfAndAncestors(p.account())) {
                int depth = Accounts.depth(node);
                if (depth > fixed) {
                    break; // an entity's own address: a prefix of its postings' accounts, no row (V30)
                }
                nodes.add(node);
                if (depth == fixed) {
                    BigDecimal[] move = moves.computeIfAbsent(node,
                            n -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                    move[0] = p.debit() == null ? move[0] : move[0].add(p.debit());
                    move[1] = p.credit() == null ? move[1] : move[1].add(p.credit());
                }
            }
        }
        Moves queued = MOVES.get().orElse(null);
        for (String node : nodes) {
            if (queued == null || queued.accounts().add(node)) {
                BatchedWrites.sql(jdbc, INSERT_ACCOUNT)
                        .param("address", node)
                        .param("parent", Accounts.parent(node), Types.VARCHAR)
                        .param("depth", Accounts.depth(node))
                        .update();
            }
        }
        moves.forEach((node, move) -> {
            for (Span span : Span.values()) {
                java.time.LocalDate period = span.period(draft.effectiveDate());
                Move key = new Move(node, span, period);
                Moved earlier = queued == null ? null : queued.balances().get(key);
                if (earlier != null) {
                    earlier.add(move[0], move[1]);
                    continue;
                }
                BatchedWrites.Write write = BatchedWrites.sql(jdbc, MOVE_BALANCE)
                        .param("account", node)
                        .param("span", span.name())
                        .param("period", period, Types.DATE)
                        .param("debit", move[0])
                        .param("credit", move[1]);
                write.update();
                if (queued != null) {
                    queued.balances().put(key, new Moved(write, move[0], move[1]));
                }
            }
        });
        Map<FigureKey, BatchedWrites.Write> set = SET.get().orElse(null);
        for (Figure f : draft.changed().values()) {
            FigureKey key = new FigureKey(entity.get(), f.name());
            BatchedWrites.Write queuedFigure = set == null ? null : set.get(key);
            BatchedWrites.Write write = queuedFigure != null ? queuedFigure : BatchedWrites.sql(jdbc, SET_FIGURE);
            write.param("entity", entity.get().entity())
                    .param("key", entity.get().key())
                    .param("figure", f.name())
                    .param("amount", f.amount())
                    .param("debit", f.debit())
                    .param("credit", f.credit())
                    .param("position", position)
                    .param("date", f.date(), Types.DATE);
            if (queuedFigure == null) {
                write.update();
                if (set != null) {
                    set.put(key, write);
                }
            }
        }
        if (run != null) {
            Map<String, Figure> after = new HashMap<>(figures);
            after.putAll(draft.changed());
            run.put(entity.get(), after);
        }
    }

    @ResetHandler
    public void reset() {
        jdbc.sql("TRUNCATE journal_transaction, journal_posting, journal_account, journal_balance, journal_figure")
                .update();
    }

    /**
     * Whether {@code message} is the first event of its entity: sequence 0 of the aggregate whose key is
     * the entity's (each entity's events are its own aggregate's, {@code AggregateIds}). The journal then
     * holds no figure of the entity, since only the entity's own events set its figures, in its order: its
     * figures are not read (issue 20: under load most deliveries are an entity's first, and that read was
     * a query per batch of the journal's processor, 7 µs of PostgreSQL per webhook). An event handled
     * again finds its transaction entered and writes nothing, whatever figures it was drafted against.
     */
    static boolean firstOfEntity(Message<?> message, JournalEntries.EntityRef entity) {
        return message instanceof DomainEventMessage<?> domain && domain.getSequenceNumber() == 0
                && entity.key().equals(AggregateIds.keyOf(domain.getAggregateIdentifier()));
    }

    /**
     * A live batch: the stored figures of every entity its events name, in one query, instead of one
     * query per entity when its first event comes (an entity with none gets an empty map; one whose first
     * event in the batch is its first of all, {@link #firstOfEntity}, is not asked for). A rebuild's run
     * has no such batch and reads each entity when it first meets it.
     */
    private void prefetch(Map<JournalEntries.EntityRef, Map<String, Figure>> run) {
        if (!CurrentUnitOfWork.isStarted()
                || !(CurrentUnitOfWork.get().root() instanceof BatchingUnitOfWork<?> batch)) {
            return;
        }
        java.util.Set<JournalEntries.EntityRef> entities = new java.util.LinkedHashSet<>();
        for (Message<?> message : batch.getMessages()) {
            if (LedgerEvent.class.isAssignableFrom(message.getPayloadType())
                    && message.getPayload() instanceof LedgerEvent event) {
                JournalEntries.entityOf(event).filter(e -> !run.containsKey(e)).ifPresent(e -> {
                    if (firstOfEntity(message, e)) {
                        run.put(e, new HashMap<>());
                    } else {
                        entities.add(e);
                    }
                });
            }
        }
        if (entities.isEmpty()) {
            return;
        }
        entities.forEach(e -> run.put(e, new HashMap<>()));
        jdbc.sql("""
                        SELECT f.entity, f.entity_key, f.figure, f.amount, f.debit_account, f.credit_account, f.position,
                               f.effective_date
                        FROM journal_figure f
                        JOIN unnest(CAST(:entities AS VARCHAR[]), CAST(:keys AS VARCHAR[])) AS w(entity, entity_key)
                            ON f.entity = w.entity AND f.entity_key = w.entity_key
                        """)
                .param("entities", entities.stream().map(JournalEntries.EntityRef::entity).toArray(String[]::new))
                .param("keys", entities.stream().map(JournalEntries.EntityRef::key).toArray(String[]::new))
                .query(rs -> {
                    Figure f = new Figure(rs.getString("figure"), rs.getBigDecimal("amount"),
                            rs.getString("debit_account"), rs.getString("credit_account"), rs.getLong("position"),
                            rs.getObject("effective_date", java.time.LocalDate.class));
                    run.get(new JournalEntries.EntityRef(rs.getString("entity"), rs.getString("entity_key")))
                            .put(f.name(), f);
                });
    }

    private Map<String, Figure> stored(JournalEntries.EntityRef entity) {
        Map<String, Figure> figures = new HashMap<>();
        jdbc.sql("""
                        SELECT figure, amount, debit_account, credit_account, position, effective_date FROM journal_figure
                        WHERE entity = :entity AND entity_key = :key
                        """)
                .param("entity", entity.entity())
                .param("key", entity.key())
                .query((rs, n) -> new Figure(rs.getString("figure"), rs.getBigDecimal("amount"),
                        rs.getString("debit_account"), rs.getString("credit_account"), rs.getLong("position"),
                        rs.getObject("effective_date", java.time.LocalDate.class)))
                .list()
                .forEach(f -> figures.put(f.name(), f));
        return figures;
    }
}
