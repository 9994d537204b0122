package com.qiledger.api.cluster;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Shares the projections' segments between the nodes on one database, with Axon's own machinery.
 *
 * <p>Every tracking processor has several segments in the token store and, on every node, at least
 * as many threads as segments: a node alone claims and processes them all. When another node
 * starts, its threads find every segment claimed and would stay idle. So each node records a
 * heartbeat ({@code ledger_ops.node}) and, per processor, gives up the segments it holds above its
 * fair share, {@code ceil(segments / live nodes)}, with {@link TrackingEventProcessor#releaseSegment};
 * the idle threads of the other nodes then claim them at their next claim attempt. A node that
 * stops or dies leaves its segments to the others: at once when it stops (it releases its claims),
 * after the token store's claim timeout when it dies. Only a node above its share ever lets go,
 * and a segment it gave up that came back unclaimed is kept for {@code release-cooldown}, so
 * processing never stalls on a node that counts as live but does not claim.
 */
@Component
public class FairShare implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FairShare.class);

    /** The token store's default owner name ({@code JdbcTokenStore}): the JVM's {@code pid@host}. */
    public static final String NODE_ID = ManagementFactory.getRuntimeMXBean().getName();

    private final EventProcessingConfiguration processing;
    private final JdbcClient jdbc;
    private final NodeProperties properties;
    private final Clock clock;
    private final Instant startedAt;
    /** When this node last gave up each segment, by processor and segment. */
    private final Map<String, Map<Integer, Instant>> released = new HashMap<>();
    private ScheduledExecutorService timer;
    private volatile boolean running;
    private boolean failing;

    public FairShare(EventProcessingConfiguration processing, JdbcClient jdbc, NodeProperties properties,
                     Clock clock) {
        this.processing = processing;
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** One node as the heartbeat table and the token store show it. */
    public record Node(String nodeId, Instant startedAt, Instant heartbeatAt, boolean live, boolean self,
                       Map<String, List<Integer>> claims) {
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ledger-fair-share");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, properties.heartbeatInterval().toMillis());
        timer.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
        running = true;
    }

    /** Stops the heartbeat and removes this node's row, so the others count it gone at once. */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            jdbc.sql("DELETE FROM ledger_ops.node WHERE node_id = :id").param("id", NODE_ID).update();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.debug("could not remove this node's heartbeat: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** One heartbeat and, per running tracking processor, the release of segments above the share. */
    synchronized void tick() {
        try {
            heartbeat();
            if (properties.fairShare()) {
                balance(liveNodes(), segmentOwners());
            }
            if (failing) {
                log.info("fair share: the database answers again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("fair share: heartbeat or balance failed ({}); retrying every {} ms", e.toString(),
                        properties.heartbeatInterval().toMillis());
                failing = true;
            }
        }
    }

    private void heartbeat() {
        jdbc.sql("""
                        INSERT INTO ledger_ops.node (node_id, started_at, heartbeat_at) VALUES (:id, :started, now())
                        ON CONFLICT (node_id) DO UPDATE SET started_at = EXCLUDED.started_at, heartbeat_at = now()
                        """)
                .param("id", NODE_ID)
                .param("started", Timestamp.from(startedAt))
                .update();
        // the rows of nodes that died without removing theirs
        jdbc.sql("DELETE FROM ledger_ops.node WHERE heartbeat_at < now() - make_interval(secs => :age)")
                .param("age", 100.0 * properties.liveness().toMillis() / 1000.0)
                .update();
    }

    private long liveNodes() {
        long live = jdbc.sql("SELECT count(*) FROM ledger_ops.node WHERE heartbeat_at > now() - make_interval(secs => :s)")
                .param("s", properties.liveness().toMillis() / 1000.0)
                .query(Long.class).single();
        return Math.max(1, live);
    }

    /** Every processor's segments in the token store, with the node that claims each (null when none). */
    private Map<String, Map<Integer, String>> segmentOwners() {
        Map<String, Map<Integer, String>> owners = new HashMap<>();
        jdbc.sql("SELECT processorname, segment, owner FROM tokenentry")
                .query(rs -> {
                    owners.computeIfAbsent(rs.getString("processorname"), k -> new HashMap<>())
                            .put(rs.getInt("segment"), rs.getString("owner"));
                });
        return owners;
    }

    private void balance(long liveNodes, Map<String, Map<Integer, String>> owners) {
        Instant now = clock.instant();
        for (Map.Entry<String, EventProcessor> entry : processing.eventProcessors().entrySet()) {
            if (!(entry.getValue() instanceof TrackingEventProcessor tracking) || !tracking.isRunning()) {
                continue;
            }
            String name = entry.getKey();
            Map<Integer, String> segments = owners.getOrDefault(name, Map.of());
            if (segments.size() <= 1) {
                continue;
            }
            int share = (int) ((segments.size() + liveNodes - 1) / liveNodes);
            Map<Integer, Instant> gaveUp = released.computeIfAbsent(name, k -> new HashMap<>());
            // handed over (another node claims it now), or long enough ago to be offered again
            gaveUp.entrySet().removeIf(e -> isOther(segments.get(e.getKey()))
                    || e.getValue().plus(properties.releaseCooldown()).isBefore(now));
            // a segment given up lately counts as gone, whether its worker is still stopping or it came back unclaimed
            TreeSet<Integer> held = new TreeSet<>(tracking.processingStatus().keySet());
            held.removeAll(gaveUp.keySet());
            int holds = held.size();
            for (int i = 0; i < holds - share; i++) {
                int segment = held.pollLast();
                log.info("fair share: releasing segment {} of {} (this node holds {} of {} segments, share {} over {} "
                        + "live nodes)", segment, name, holds, segments.size(), share, liveNodes);
                tracking.releaseSegment(segment);
                gaveUp.put(segment, now);
            }
        }
    }

    private static boolean isOther(String owner) {
        return owner != null && !owner.equals(NODE_ID);
    }

    /** The nodes that recorded a heartbeat, newest first, with the segments each one claims. */
    public List<Node> nodes() {
        Map<String, Map<String, List<Integer>>> claims = new LinkedHashMap<>();
        jdbc.sql("SELECT owner, processorname, segment FROM tokenentry WHERE owner IS NOT NULL "
                        + "ORDER BY owner, processorname, segment")
                .query(rs -> {
                    claims.computeIfAbsent(rs.getString("owner"), k -> new LinkedHashMap<>())
                            .computeIfAbsent(rs.getString("processorname"), k -> new ArrayList<>())
                            .add(rs.getInt("segment"));
                });
        List<Node> nodes = new ArrayList<>(jdbc.sql("""
                        SELECT node_id, started_at, heartbeat_at,
                               heartbeat_at > now() - make_interval(secs => :s) AS live
                        FROM ledger_ops.node ORDER BY heartbeat_at DESC, node_id
                        """)
                .param("s", properties.liveness().toMillis() / 1000.0)
                .query((rs, n) -> {
                    String id = rs.getString("node_id");
                    return new Node(id, rs.getTimestamp("started_at").toInstant(),
                            rs.getTimestamp("heartbeat_at").toInstant(), rs.getBoolean("live"), id.equals(NODE_ID),
                            claims.getOrDefault(id, Map.of()));
                })
                .list());
        // an owner without a heartbeat row: a node of an older version, or one whose row expired
        nodes.stream().map(Node::nodeId).toList().forEach(claims::remove);
        claims.forEach((owner, held) -> nodes.add(new Node(owner, null, null, false, owner.equals(NODE_ID), held)));
        return nodes;
    }
}
