package com.qiledger.api.partner;

import com.qiledger.api.provider.ProviderClient;
import com.qiledger.command.messages.debt.PartnerCallOutcome;
import com.qiledger.command.messages.debt.RecordPartnerCallAnswer;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the partner calls, after the commit that asked for them and never inside a request: a call is
 * found once the partner-requests projection (its own processing group, with a dead-letter queue)
 * shows it {@code pending}; the sender takes a lease on it in {@code partner_call_dispatch} (one node
 * sends, {@code FOR UPDATE SKIP LOCKED}), counts the attempt, sends it through the one
 * {@link ProviderClient}, then records the answer on the {@code Debt} aggregate and its own bookkeeping in
 * one transaction: accepted and refused end the call, a failure is retried after the client's back-off
 * until the last attempt, which gives up.
 *
 * <p><b>Crash between sending and recording.</b> The attempt was counted before it was sent, so the
 * lease expires ({@code timeout × 2 + 5 s}) and the next attempt sends the same request id again; the
 * lost attempt is recorded first as failed, with that reason, so the history shows both.
 */
@Component
public class PartnerCallSender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PartnerCallSender.class);
    static final String LOST = "no answer recorded: the ledger stopped between sending and recording; "
            + "sent again with the same request id";
    private static final int BATCH = 10;

    private final ProviderClient provider;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final CommandGateway commands;
    private final Clock clock;
    private final Duration pollInterval;
    private final String me = ManagementFactory.getRuntimeMXBean().getName();
    private volatile Thread worker;
    private volatile boolean running;
    private volatile boolean warnedUnconfigured;

    public PartnerCallSender(ProviderClient provider, JdbcClient jdbc, TransactionTemplate transactions,
                             CommandGateway commands, Clock clock,
                             com.qiledger.api.provider.ProviderProperties settings) {
        this.provider = provider;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.commands = commands;
        this.clock = clock;
        this.pollInterval = settings.pollInterval();
    }

    /** One call to send: what the projection shows, and the attempt this lease is. */
    record Due(String requestId, String debtKey, String kind, String body, int attempt, int recorded) {
    }

    /** Sends what is due now; answers how many attempts were made. Public for tests that step it by hand. */
    public int sendDue() {
        if (provider.missingSetting() != null) {
            if (!warnedUnconfigured) {
                warnedUnconfigured = true;
                log.info("partner calls are off: {} is not set", provider.missingSetting());
            }
            return 0;
        }
        List<Due> due = lease();
        for (Due call : due) {
            if (call.recorded() < call.attempt() - 1) {
                record(call, call.attempt() - 1, PartnerCallOutcome.FAILED,
                        new ProviderClient.Answer(ProviderClient.Outcome.FAILED, null, null, LOST), false);
            }
            byte[] body = call.body() == null ? new byte[0] : call.body().getBytes(StandardCharsets.UTF_8);
            String path = "/debt/" + URLEncoder.encode(call.debtKey(), StandardCharsets.UTF_8).replace("+", "%20")
                    + "/" + call.kind();
            ProviderClient.Answer answer = provider.send(new ProviderClient.Call("POST", path, body,
                    call.requestId()));
            if (Thread.currentThread().isInterrupted()) {
                // stopping: the answer is not recorded, as after a crash; the lease expires and it is resent
                return due.size();
            }
            PartnerCallOutcome outcome = switch (answer.outcome()) {
                case ACCEPTED -> PartnerCallOutcome.ACCEPTED;
                case REFUSED -> PartnerCallOutcome.REFUSED;
                case FAILED -> call.attempt() >= provider.maxAttempts() ? PartnerCallOutcome.GAVE_UP
                        : PartnerCallOutcome.FAILED;
            };
            record(call, call.attempt(), outcome, answer, true);
        }
        return due.size();
    }

    /** Makes every pending call a dispatch row, then leases what is due, counting the attempt. */
    private List<Due> lease() {
        Instant now = clock.instant();
        Duration lease = provider.timeout().multipliedBy(2).plusSeconds(5);
        return transactions.execute(tx -> {
            jdbc.sql("""
                            INSERT INTO partner_call_dispatch (request_id, debt_key, attempts, recorded, next_attempt_at)
                            SELECT v.request_id, v.debt_key, 0, 0, :now FROM partner_request_view v
                            WHERE v.state = 'pending'
                              AND NOT EXISTS (SELECT 1 FROM partner_call_dispatch d WHERE d.request_id = v.request_id)
                            ON CONFLICT (request_id) DO NOTHING
                            """)
                    .param("now", Timestamp.from(now))
                    .update();
            return jdbc.sql("""
                            UPDATE partner_call_dispatch d SET attempts = d.attempts + 1, lease_owner = :me,
                                lease_until = :until
                            FROM partner_request_view v
                            WHERE d.request_id = v.request_id AND d.request_id IN (
                                SELECT d2.request_id FROM partner_call_dispatch d2
                                JOIN partner_request_view v2 ON v2.request_id = d2.request_id
                                WHERE NOT d2.done AND v2.state = 'pending' AND d2.next_attempt_at <= :now
                                  AND (d2.lease_until IS NULL OR d2.lease_until < :now)
                                ORDER BY d2.next_attempt_at, d2.request_id
                                LIMIT :batch
                                FOR UPDATE OF d2 SKIP LOCKED)
                            RETURNING d.request_id, d.debt_key, v.kind, v.request_body, d.attempts, d.recorded
                            """)
                    .param("me", me)
                    .param("until", Timestamp.from(now.plus(lease)))
                    .param("now", Timestamp.from(now))
                    .param("batch", BATCH)
                    .query((rs, n) -> new Due(rs.getString("request_id"), rs.getString("debt_key"),
                            rs.getString("kind"), rs.getString("request_body"), rs.getInt("attempts"),
                            rs.getInt("recorded")))
                    .list();
        });
    }

    /**
     * Records one attempt's answer on the debt and the dispatch row in one transaction. {@code release}:
     * this lease's own attempt (ends the lease; a failure schedules the next attempt after the back-off).
     */
    private void record(Due call, int attempt, PartnerCallOutcome outcome, ProviderClient.Answer answer,
                        boolean release) {
        Instant now = clock.instant();
        boolean done = outcome != PartnerCallOutcome.FAILED;
        transactions.executeWithoutResult(tx -> {
            commands.sendAndWait(new RecordPartnerCallAnswer(call.debtKey(), call.requestId(), attempt, outcome,
                    answer.status(), answer.body(), answer.error(), now));
            jdbc.sql("""
                            UPDATE partner_call_dispatch SET recorded = GREATEST(recorded, :attempt),
                                done = done OR :done,
                                next_attempt_at = CASE WHEN :release THEN :next ELSE next_attempt_at END,
                                lease_owner = CASE WHEN :release THEN NULL ELSE lease_owner END,
                                lease_until = CASE WHEN :release THEN NULL ELSE lease_until END
                            WHERE request_id = :id
                            """)
                    .param("attempt", attempt)
                    .param("done", done)
                    .param("release", release)
                    .param("next", Timestamp.from(now.plus(provider.backoff(attempt))))
                    .param("id", call.requestId())
                    .update();
        });
        log.info("partner call request={} kind={} attempt={} outcome={} status={}", call.requestId(), call.kind(),
                attempt, outcome, answer.status());
    }

    private void loop() {
        while (running) {
            try {
                int sent = sendDue();
                if (sent == 0) {
                    Thread.sleep(pollInterval.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // the lease stays: the call is tried again once it expires, with the same request id
                log.warn("partner call sender: {}", e.toString());
                try {
                    Thread.sleep(Math.max(1000, pollInterval.toMillis()));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        Thread thread = new Thread(this::loop, "ledger-partner-calls");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        worker = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after the processors and the rest of the service, stops before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

}
