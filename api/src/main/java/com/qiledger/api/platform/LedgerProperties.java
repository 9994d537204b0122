package com.qiledger.api.platform;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** The service's own settings ({@code ledger.*}), as API.md names them. */
@ConfigurationProperties("ledger")
public record LedgerProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Embedded embedded,
        @DefaultValue Webhook webhook,
        @DefaultValue Query query,
        @DefaultValue Blocking blocking,
        @DefaultValue Security security,
        @DefaultValue Projections projections,
        @DefaultValue Audit audit) {

    /** The embedded PostgreSQL used when no {@code spring.datasource.url} is set. */
    public record Embedded(
            /** Where the PostgreSQL binaries are unpacked; default {@code <data-dir>/bin}. */
            Path binariesDir,
            /** fsync and synchronous commit; only tests turn this off. */
            @DefaultValue("true") boolean fsync,
            @DefaultValue("30s") Duration startTimeout) {
    }

    public record Webhook(
            /** {@code qitech-es512}, {@code shared-hs256} or {@code none}; derived when unset. */
            String auth,
            String publicKey,
            String clientKey,
            String sharedKey,
            @DefaultValue("5m") Duration maxClockSkew,
            @DefaultValue("1048576") DataSize maxBodyBytes,
            /**
             * How often a delivery is retried, with jittered backoff, after losing a race to append
             * to the same entity; enough for a burst of concurrent facts for one entity.
             */
            @DefaultValue("30") int maxConflictRetries,
            /**
             * The longest a delivery's work may run: past it the work stops, rolls back and the
             * delivery is answered 503 (before the provider's 10 s give up); see IntakeService.
             */
            @DefaultValue("7s") Duration deadline,
            /**
             * After this many attempts of one body that timed out, the next attempt is quarantined
             * with the failure as its reason instead of failing again (the provider resends 8 times).
             */
            @DefaultValue("3") int maxFailures,
            /**
             * Group commit (issue 20): at most this many waiting deliveries are written in one
             * transaction, one commit for all; 1 writes each delivery in a transaction of its own.
             */
            @DefaultValue("64") int groupCommit,
            /**
             * How many batches are written at once, each on its own thread and connection. One since
             * issue 20's session of 2026-12-06: with two, each took half of the waiting deliveries, so
             * batches were half as big and the statements and commits per delivery twice as many; back
             * to back on 2 cores (wrk, 64 connections, fresh keys, fresh ledger) one committer answered
             * 2,151/s against 1,707/s, and 1,995/s against 1,995/s with 0.78 against 0.83 ms of CPU
             * (service and PostgreSQL) per webhook (docs/benchmarks.md).
             */
            @DefaultValue("1") int committers,
            /**
             * Issue 20: the webhook is answered by the HTTP handler itself, ahead of WebFlux's filters
             * and handler mapping (intake.WebhookRoute); false serves it through the controller.
             */
            @DefaultValue("true") boolean leanRoute) {
    }

    public record Query(@DefaultValue("5s") Duration maxWait) {
    }

    /**
     * Who may read: one bearer token per role. With no token set the read API is open, which only
     * the embedded default allows implicitly; an external database needs tokens or an explicit
     * {@code open=true}.
     */
    public record Security(
            @DefaultValue Tokens tokens,
            /** Leave the read API open on an external database (only when no token is set). */
            @DefaultValue("false") boolean open) {
    }

    /** Bearer tokens per role; a role without a token cannot be used. */
    public record Tokens(String auditor, String finance, String operator) {

        /** Never prints a token: properties end up in logs and failure messages. */
        @Override
        public String toString() {
            return "Tokens[auditor=" + shown(auditor) + ", finance=" + shown(finance) + ", operator="
                    + shown(operator) + "]";
        }

        private static String shown(String token) {
            return token == null || token.isBlank() ? "unset" : "set";
        }
    }

    /** The bounded pool on which JDBC and Axon work runs, never on Netty's event loop. */
    public record Blocking(
            @DefaultValue("16") int threads,
            @DefaultValue("256") int queue) {
    }

    /**
     * How long the projections linger for the events of one moment to arrive together (issue 6): the
     * event store's read-ahead wakes the processors that long after a commit, and a caught-up processor
     * takes a new event once it is that old (counted from the event's time since issue 20, not from
     * when the processor saw it, which had doubled the lag); zero is Axon's behaviour. 100 ms
     * since issue 20: under load 2,474 token updates per 30 s instead of 5,711, and in back-to-back
     * benchmark runs of one commit 1,033 acknowledged webhooks/s against 660 at 20 ms, with the
     * projection lag p99 at half the maximum about the same (694 and 632 ms; docs/benchmarks.md).
     *
     * <p>{@code handOver}: an event this node has just written reaches the projections as the objects
     * its aggregate applied, not parsed again from its stored bytes (issue 20; {@code WrittenEvents} in
     * the store package); {@code checkHandOver} also reads each such event from its bytes and fails the
     * read if it differs (the test profile turns it on; it costs what the handover saves).
     *
     * <p>{@code cachedEvents}: how many of the newest events the event store's read-ahead keeps for the
     * processors (Axon's {@code EmbeddedEventStore.cachedEvents}); a processor further behind reads the
     * store itself until it is back within them. 2,000, not Axon's 10,000 (issue 20): at 3,500 webhooks/s
     * 10,000 events lived about three seconds, long enough to be copied by three young collections and
     * then promoted (GC log: some 8 MB per age and per collection), and the live processors stay within a
     * few hundred events of the newest (a batch of at most 500 behind).
     */
    public record Projections(@DefaultValue("100ms") Duration linger, @DefaultValue("2000") int cachedEvents,
                              @DefaultValue("true") boolean handOver, @DefaultValue("false") boolean checkHandOver) {
    }

    /**
     * Tamper evidence (issue 21, docs/audit.md): the per-aggregate hash chain, and the signed digests
     * made every {@code digestInterval} (zero: only on demand) with the ledger's Ed25519 key
     * ({@code signingKey}: a PEM, inline or a path, holding the PRIVATE KEY and PUBLIC KEY blocks; unset,
     * one is generated into {@code <data-dir>/audit/ledger-signing-key.pem} and kept). {@code chain=false}
     * is for benchmarks only: events are then written without links, the verifier reports each one, and
     * a receipt lists no events (they are found through their links).
     */
    public record Audit(
            @DefaultValue("true") boolean chain,
            @DefaultValue("1m") Duration digestInterval,
            String signingKey,
            /** The longest a digest waits for the transactions in flight when it began. */
            @DefaultValue("10s") Duration digestWait,
            /** Events or receipts a digest reads at a time, resting twice as long as each read took. */
            @DefaultValue("5000") int digestReadSize) {
    }
}
