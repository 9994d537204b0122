package com.qiledger.api.projections;

import com.qiledger.query.support.BatchedWrites;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Operating the read models: how far they are ({@link #status}), waiting for a position
 * ({@link #awaitProcessed}) and rebuilding them all from the event store ({@link #startRebuild}).
 *
 * <p>A rebuild never empties what readers see. It builds a new generation of every read-model
 * table in the schema {@code ledger_rebuild} by feeding all events, in order, to the projections'
 * own handlers (in batches of {@value #BATCH}, each processing group in a lane of its own),
 * while the live processors keep the current generation up to date. When it has caught up, it stops this node's processors, replays
 * the tail, and in one transaction swaps the new tables into {@code public} and sets every
 * processor's token to the last event replayed; then the processors start again from there. Reads
 * wait only for that swap. A rebuild runs on one node: it refuses to start while another node holds
 * a claim on a processor's segment.
 */
@Component
public class ReadModelOperations implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ReadModelOperations.class);
    static final String REBUILD_SCHEMA = "ledger_rebuild";
    /** How long the swap keeps trying to take the live tables before the rebuild fails (old tables stay). */
    static final Duration SWAP_LOCK_PATIENCE = Duration.ofSeconds(60);
    static final int BATCH = 1000;
    /** Batches a lane may be ahead of the slowest lane; see {@link #replayInto}. */
    static final int IN_FLIGHT = 8;
    private static final Duration POLL = Duration.ofMillis(10);

    private final ProcessorPositions positions;
    private final ReadModelTables tables;
    private final ProjectionReplay replay;
    private final EventProcessingConfiguration processing;
    private final EventStorageEngine events;
    private final TokenStore tokens;
    private final JdbcClient jdbc;
    private final NamedParameterJdbcOperations namedJdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final DeadLetters deadLetters;
    /** Dead letters shown per group in the status; the full list is at /api/v1/dead-letters. */
    private static final int SHOWN_LETTERS = 20;
    private final ExecutorService rebuilder = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "ledger-rebuild");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<RebuildStatus> rebuild = new AtomicReference<>(RebuildStatus.never());
    /** What every processor has reached, read once for all the requests waiting for a position. */
    private final SharedReads<List<TrackingToken>> tokenReads;

    public ReadModelOperations(ProcessorPositions positions, ReadModelTables tables, ProjectionReplay replay,
                               EventProcessingConfiguration processing, EventStorageEngine events,
                               TokenStore tokens, JdbcClient jdbc, NamedParameterJdbcOperations namedJdbc,
                               TransactionTemplate transactions, Clock clock, DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.positions = positions;
        this.tokenReads = new SharedReads<>(() -> positions.reached(processorNames(), localTokens()));
        this.tables = tables;
        this.replay = replay;
        this.processing = processing;
        this.events = events;
        this.tokens = tokens;
        this.jdbc = jdbc;
        this.namedJdbc = namedJdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** The tracking processors that keep the read models. */
    public List<String> processorNames() {
        return processing.eventProcessors().keySet().stream().sorted().toList();
    }

    /**
     * Waits until every read model has processed {@code position}; false when {@code maxWait} ran out.
     * Every {@link #POLL} the waiter looks at the processors' tokens again, but all waiters share the
     * reads of them ({@link SharedReads}): each one only needs tokens read after the ones it looked at
     * last (the first time: read after it arrived), and tokens only move forward. Each waiter reading
     * the token store itself cost, at a read model's usual lag, about fifteen reads and token
     * deserialisations per waiting request (issue 20: the bench's lag probes at half load).
     */
    public boolean awaitProcessed(long position, Duration maxWait) {
        Instant deadline = clock.instant().plus(maxWait);
        SharedReads.Read<List<TrackingToken>> seen = tokenReads.readAfter(System.nanoTime() - 1);
        while (!positions.covers(seen.value(), position)) {
            if (!clock.instant().isBefore(deadline)) {
                return false;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            seen = tokenReads.readAfter(seen.startedAt());
        }
        return true;
    }

    /** The tokens this node's tracking processors have processed up to, per processor and segment. */
    Map<String, Map<Integer, TrackingToken>> localTokens() {
        Map<String, Map<Integer, TrackingToken>> local = new LinkedHashMap<>();
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof TrackingEventProcessor tracking) {
                Map<Integer, TrackingToken> segments = new LinkedHashMap<>();
                tracking.processingStatus().forEach((segment, status) -> {
                    if (!status.isErrorState() && status.getTrackingToken() != null) {
                        segments.put(segment, status.getTrackingToken());
                    }
                });
                local.put(name, segments);
            }
        });
        return local;
    }

    /** Per processor: position, lag behind the head, segments and their claims; and the rebuild. */
    public Map<String, Object> status() {
        long head = positions.head();
        Map<String, List<ProcessorPositions.SegmentPosition>> segments = positions.segments();
        Map<String, Map<Integer, TrackingToken>> local = localTokens();
        List<Map<String, Object>> processors = new ArrayList<>();
        for (String name : processorNames()) {
            List<ProcessorPositions.SegmentPosition> mine = segments.getOrDefault(name, List.of());
            long position = positions.processedByAll(List.of(name), local);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", name);
            p.put("position", position);
            p.put("lag", Math.max(0, head - position));
            p.put("running", processing.eventProcessor(name).map(EventProcessor::isRunning).orElse(false));
            p.put("segments", mine);
            // events this group could not handle, parked per entity while the rest flows (issue 26)
            List<DeadLetters.Letter> parked = deadLetters.lettersOf(name);
            Map<String, Object> dead = new LinkedHashMap<>();
            dead.put("count", parked.size());
            dead.put("letters", parked.size() > SHOWN_LETTERS ? parked.subList(0, SHOWN_LETTERS) : parked);
            p.put("dead_letters", dead);
            // every processor is rebuilt in the same ordered pass, so each one's rebuild progress is
            // the pass's: how far its next generation has been replayed, towards which position
            RebuildStatus pass = rebuild.get();
            Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("state", pass.state());
            progress.put("replayed_position", pass.replayedPosition());
            progress.put("target_position", pass.targetPosition());
            p.put("rebuild", progress);
            processors.add(p);
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("head", head);
        status.put("processors", processors);
        status.put("rebuild", rebuild.get());
        return status;
    }

    /** Starts a rebuild unless one is running; answers the rebuild's status either way. */
    public synchronized RebuildStatus startRebuild() {
        RebuildStatus current = rebuild.get();
        if (current.state() == RebuildStatus.State.running) {
            return current;
        }
        String foreign = foreignClaim();
        if (foreign != null) {
            throw new IllegalStateException("another node (" + foreign + ") holds a claim on a read model; "
                    + "stop the other nodes' processors before rebuilding");
        }
        long target = positions.head();
        RebuildStatus started = RebuildStatus.started(clock.instant(), target);
        rebuild.set(started);
        rebuilder.submit(this::runRebuild);
        return started;
    }

    private String foreignClaim() {
        String me = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
        return jdbc.sql("SELECT owner FROM tokenentry WHERE owner IS NOT NULL AND owner <> :me LIMIT 1")
                .param("me", me).query(String.class).optional().orElse(null);
    }

    private void runRebuild() {
        long started = System.nanoTime();
        try {
            transactions.executeWithoutResult(tx -> createNextGeneration());
            TrackingToken last = replayInto(null, false);
            // Before the new tables serve reads, and outside the pause of the live processors
            vacuumNextGeneration();
            List<TrackingEventProcessor> stopped = stopProcessors();
            try {
                TrackingToken tail = last;
                transactions.executeWithoutResult(tx -> {
                    TrackingToken end = replayInto(tail, true);
                    swapGenerations();
                    storeTokens(end);
                });
            } finally {
                stopped.forEach(TrackingEventProcessor::start);
            }
            RebuildStatus done = rebuild.updateAndGet(s -> s.finished(clock.instant(), System.nanoTime() - started));
            log.info("read models rebuilt: {} events in {} ms ({} events/s)", done.eventsReplayed(),
                    done.durationMillis(), done.eventsPerSecond());
        } catch (RuntimeException e) {
            log.error("read model rebuild failed; the current read models stay in place", e);
            rebuild.updateAndGet(s -> s.failed(clock.instant(), e.getMessage()));
            transactions.executeWithoutResult(tx -> jdbc.sql("DROP SCHEMA IF EXISTS " + REBUILD_SCHEMA
                    + " CASCADE").update());
        }
    }

    private void createNextGeneration() {
        jdbc.sql("DROP SCHEMA IF EXISTS " + REBUILD_SCHEMA + " CASCADE").update();
        jdbc.sql("CREATE SCHEMA " + REBUILD_SCHEMA).update();
        for (String table : tables.names()) {
            String quoted = ReadModelTables.quote(table);
            jdbc.sql("CREATE TABLE " + REBUILD_SCHEMA + "." + quoted + " (LIKE public." + quoted
                    + " INCLUDING ALL)").update();
            copyTriggers(table);
        }
    }

    /**
     * Gives the next generation's table the live table's own triggers ({@code LIKE ... INCLUDING ALL}
     * copies constraints and indexes, not triggers): the journal's deferred trigger that refuses an
     * unbalanced transaction must guard the tables the swap makes live. Each definition is PostgreSQL's
     * own ({@code pg_get_triggerdef}), pointed at the new table.
     */
    private void copyTriggers(String table) {
        List<String> definitions = jdbc.sql("SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t "
                        + "WHERE t.tgrelid = CAST(:table AS regclass) AND NOT t.tgisinternal ORDER BY t.tgname")
                .param("table", "public." + ReadModelTables.quote(table))
                .query(String.class)
                .list();
        java.util.regex.Pattern on = java.util.regex.Pattern.compile(" ON (?:public\\.)?(?:"
                + java.util.regex.Pattern.quote(table) + "|" + java.util.regex.Pattern.quote(ReadModelTables.quote(table))
                + ") ");
        for (String definition : definitions) {
            java.util.regex.Matcher m = on.matcher(definition);
            if (!m.find()) {
                throw new IllegalStateException("cannot point a trigger at the next generation: " + definition);
            }
            jdbc.sql(definition.substring(0, m.start()) + " ON " + REBUILD_SCHEMA + "." + ReadModelTables.quote(table)
                    + " " + definition.substring(m.end())).update();
        }
    }

    /**
     * Replays every event after {@code from} into the next generation; returns the last token.
     * Outside the caller's transaction, every processing group has a lane of its own: a thread with
     * its own connection that applies each batch of {@value #BATCH} events in one transaction of its
     * own (a projection only ever sees its own group's tables). This thread reads and deserialises
     * each batch once and queues it to every lane; lanes do not wait for each other, a lane runs its
     * batches in order (one thread), and at most {@value #IN_FLIGHT} batches are queued ahead of the
     * slowest lane, so each projection still sees every event once and in order while the others
     * go on. Progress counts a batch when every lane has committed it. In the caller's transaction
     * (the tail, before the swap) every group is applied there, in order.
     */
    private TrackingToken replayInto(TrackingToken from, boolean inCallerTransaction) {
        TrackingToken last = from;
        List<Lane> lanes = inCallerTransaction ? List.of()
                : replay.groups().stream().map(group -> new Lane(group, replay.batchable(group))).toList();
        java.util.ArrayDeque<Runnable> inFlight = new java.util.ArrayDeque<>();
        try (Stream<? extends TrackedEventMessage<?>> stream = events.readEvents(from, false)) {
            Iterator<? extends TrackedEventMessage<?>> iterator = stream.iterator();
            List<TrackedEventMessage<?>> batch = new ArrayList<>(BATCH);
            TrackingToken lastStoreToken = from;
            long highest = from == null ? -1 : from.position().orElse(-1);
            while (iterator.hasNext()) {
                TrackedEventMessage<?> event = iterator.next();
                lastStoreToken = event.trackingToken();
                long index = event.trackingToken().position().orElse(-1);
                if (index > highest) {
                    // read in global order, an event that raises the token's index is at that index:
                    // its exact position spares every projection a lookup by identifier (Positions)
                    highest = index;
                    event = event.withTrackingToken(new GlobalSequenceTrackingToken(index));
                }
                // deserialised here, once, not by each lane
                event.getPayload();
                event.getMetaData();
                batch.add(event);
                if (batch.size() == BATCH || !iterator.hasNext()) {
                    List<TrackedEventMessage<?>> work = List.copyOf(batch);
                    long position = lastStoreToken.position().orElse(-1);
                    if (inCallerTransaction) {
                        applyToNextGeneration(work, null, false);
                        rebuild.updateAndGet(s -> s.progressed(work.size(), position));
                    } else {
                        List<Future<?>> applied = lanes.stream().<Future<?>>map(lane -> lane.apply(work)).toList();
                        inFlight.add(() -> {
                            awaitAll(applied);
                            rebuild.updateAndGet(s -> s.progressed(work.size(), position));
                        });
                        if (inFlight.size() > IN_FLIGHT) {
                            inFlight.poll().run();
                        }
                    }
                    last = lastStoreToken;
                    batch.clear();
                }
            }
            while (!inFlight.isEmpty()) {
                inFlight.poll().run();
            }
            // the slowest lane bounds the rebuild: operators see which projection to make cheaper
            lanes.forEach(lane -> log.info("rebuild lane {}: busy {} ms", lane.group(), lane.busyMillis()));
        } finally {
            // after a failure, no lane goes on writing into a generation that is about to be dropped
            lanes.forEach(Lane::stop);
        }
        return last;
    }

    /**
     * One processing group's replay into the next generation: one thread, so its batches apply in
     * order, each in a transaction of its own; its busy time is kept for the log.
     */
    private final class Lane {

        private final String group;
        private final java.util.Set<String> groups;
        private final boolean batched;
        private final ExecutorService thread;
        private final java.util.concurrent.atomic.AtomicLong busyNanos = new java.util.concurrent.atomic.AtomicLong();

        Lane(String group, boolean batched) {
            this.group = group;
            this.groups = java.util.Set.of(group);
            this.batched = batched;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "ledger-rebuild-" + group);
                t.setDaemon(true);
                return t;
            });
        }

        String group() {
            return group;
        }

        long busyMillis() {
            return busyNanos.get() / 1_000_000;
        }

        Future<?> apply(List<TrackedEventMessage<?>> batch) {
            return thread.submit(() -> {
                long start = System.nanoTime();
                transactions.executeWithoutResult(tx -> applyToNextGeneration(batch, groups, batched));
                busyNanos.addAndGet(System.nanoTime() - start);
            });
        }

        void stop() {
            thread.shutdownNow();
            try {
                thread.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for every lane of a batch, then fails with the first lane's failure, if any. */
    private static void awaitAll(List<Future<?>> lanes) {
        RuntimeException failure = null;
        for (Future<?> lane : lanes) {
            try {
                lane.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException("rebuild interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                failure = failure != null ? failure : e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Applies a batch to the next generation in the current transaction: the given groups' projections
     * (all when null), their writes queued and sent in JDBC batches when {@code batched} (only for
     * {@link com.qiledger.query.support.BatchableHandlers} projections).
     */
    private void applyToNextGeneration(List<TrackedEventMessage<?>> batch, java.util.Set<String> groups,
                                       boolean batched) {
        // pg_temp listed last, as in every session of the pool: a session's asOf twins shadow nothing here
        jdbc.sql("SELECT set_config('search_path', '" + REBUILD_SCHEMA + ", "
                + ReadModelTables.SESSION_SEARCH_PATH + "', true)").query((rs, n) -> 1).list();
        if (batched) {
            BatchedWrites.batched(namedJdbc, () -> batch.forEach(event -> replay.apply(event, groups)));
        } else {
            batch.forEach(event -> replay.apply(event, groups));
        }
        jdbc.sql("SELECT set_config('search_path', '" + ReadModelTables.SESSION_SEARCH_PATH + "', true)")
                .query((rs, n) -> 1).list();
    }

    /**
     * {@code VACUUM (ANALYZE)} of the next generation, each table in a statement of its own outside
     * any transaction (VACUUM refuses to run in one). ANALYZE gives the planner statistics: a new
     * table has none, so the first queries after the swap would be planned blind. VACUUM marks the
     * pages all-visible and resets the table's inserts-since-vacuum: without it autovacuum visits the
     * largest tables (one row per event for the history) just when reads resume after the swap
     * (measured on a 100,000-event store: ~35 s after it), competing with them for the machine.
     * The statistics and counters follow the tables when the swap moves them to {@code public}.
     */
    private void vacuumNextGeneration() {
        for (String table : tables.names()) {
            jdbc.sql("VACUUM (ANALYZE) " + REBUILD_SCHEMA + "." + ReadModelTables.quote(table)).update();
        }
    }

    private void swapGenerations() {
        List<String> live = tables.names();
        lockLiveTables(live);
        for (String table : live) {
            String quoted = ReadModelTables.quote(table);
            jdbc.sql("DROP TABLE public." + quoted).update();
            jdbc.sql("ALTER TABLE " + REBUILD_SCHEMA + "." + quoted + " SET SCHEMA public").update();
        }
        jdbc.sql("DROP SCHEMA " + REBUILD_SCHEMA).update();
    }

    /**
     * Takes every live read-model table for the swap at once, waiting at most 100 ms for any one of
     * them and starting over (from a savepoint, so holding none) when one is not free. Taking them one
     * by one, as the swap drops them, could deadlock with a read that holds one table and then reads
     * another (a DDA slip's view, then its snapshots): PostgreSQL would then abort the read or the
     * rebuild. Reads that arrive meanwhile queue behind the swap for at most that long each time.
     */
    private void lockLiveTables(List<String> live) {
        String list = live.stream().map(t -> "public." + ReadModelTables.quote(t))
                .collect(java.util.stream.Collectors.joining(", "));
        long deadline = System.nanoTime() + SWAP_LOCK_PATIENCE.toNanos();
        for (int attempt = 1; ; attempt++) {
            jdbc.sql("SAVEPOINT swap_locks").update();
            try {
                jdbc.sql("SET LOCAL lock_timeout = '100ms'").update();
                jdbc.sql("LOCK TABLE " + list + " IN ACCESS EXCLUSIVE MODE").update();
                jdbc.sql("SET LOCAL lock_timeout TO DEFAULT").update();
                jdbc.sql("RELEASE SAVEPOINT swap_locks").update();
                if (attempt > 1) {
                    log.info("rebuild: the live read-model tables were taken for the swap at attempt {}", attempt);
                }
                return;
            } catch (org.springframework.dao.DataAccessException busy) {
                if (!lockNotAvailable(busy)) {
                    throw busy;
                }
                jdbc.sql("ROLLBACK TO SAVEPOINT swap_locks").update();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the live read-model tables were not free for the swap within "
                            + SWAP_LOCK_PATIENCE + " (" + attempt + " attempts)", busy);
                }
                try {
                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 50));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("rebuild interrupted while taking the tables for the swap", e);
                }
            }
        }
    }

    /** lock_timeout's {@code 55P03 lock_not_available}, or a deadlock PostgreSQL broke ({@code 40P01}). */
    private static boolean lockNotAvailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql
                    && ("55P03".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private void storeTokens(TrackingToken end) {
        if (end == null) {
            return;
        }
        for (Map.Entry<String, List<ProcessorPositions.SegmentPosition>> processor : positions.segments().entrySet()) {
            for (ProcessorPositions.SegmentPosition segment : processor.getValue()) {
                tokens.storeToken(end, processor.getKey(), segment.segment());
                tokens.releaseClaim(processor.getKey(), segment.segment());
            }
        }
    }

    private List<TrackingEventProcessor> stopProcessors() {
        List<TrackingEventProcessor> stopped = new ArrayList<>();
        for (EventProcessor processor : processing.eventProcessors().values()) {
            if (processor instanceof TrackingEventProcessor tracking && tracking.isRunning()) {
                tracking.shutDown();
                stopped.add(tracking);
            }
        }
        return stopped;
    }

    @Override
    public void destroy() {
        rebuilder.shutdownNow();
    }
}
