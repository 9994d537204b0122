package com.qiledger.api.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ledger.nodes.*}: how the nodes sharing one database see each other and share the
 * projections' segments (see {@link FairShare} and docs/scaling.md).
 */
@ConfigurationProperties("ledger.nodes")
public record NodeProperties(
        /** Whether this node gives up segments above its fair share; off, a node keeps what it claims. */
        @DefaultValue("true") boolean fairShare,
        /** How often this node records its heartbeat and checks its share. */
        @DefaultValue("2s") Duration heartbeatInterval,
        /**
         * A node is live while its last heartbeat is this recent. Kept below the token store's claim
         * timeout (10 s), so a dead node no longer counts by the time its claims can be taken over.
         */
        @DefaultValue("6s") Duration liveness,
        /**
         * A segment this node gave up and then claimed again within this time (no other node took it)
         * is kept for this long before it is offered again: a node that counts as live but does not
         * claim never leaves a segment unprocessed for more than a release now and then.
         */
        @DefaultValue("60s") Duration releaseCooldown) {
}
