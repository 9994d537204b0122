package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The service as a process: a SIGTERM drains and stops the embedded PostgreSQL with it; a SIGKILL
 * leaves no server behind that blocks or corrupts the next start; either way, a restart on the same
 * data folder finds every acknowledged fact.
 */
class ServiceLifecycleTest {

    static final String PAID_KEY = "505fd25f-89cf-40ca-927c-3800f207146a";

    @Test
    void sigtermStopsCleanlyAndARestartKeepsTheState() throws Exception {
        Path data = TestDataDirs.create("sigterm");
        String before;
        try (ServiceProcess first = ServiceProcess.start(data)) {
            assertThat(first.post(Webhooks.read("bank-slip/paid_qr_code.json")).body()).contains("\"applied\"");
            before = awaitSlip(first);
            long postmaster = postmasterPid(data);
            first.process.destroy(); // SIGTERM
            assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).as("drained and stopped").isTrue();
            assertThat(first.output()).doesNotContain("Exception");
            assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false))
                    .as("embedded PostgreSQL stopped with the service").isFalse();
            assertThat(data.resolve("pgdata/postmaster.pid")).doesNotExist();
        }
        try (ServiceProcess second = ServiceProcess.start(data)) {
            assertThat(awaitSlip(second)).isEqualTo(before);
            assertThat(second.post(Webhooks.read("bank-slip/paid_qr_code.json")).body()).contains("\"duplicate\"");
        }
    }

    @Test
    void afterSigkillTheServerDiesWithTheJvmAndTheNextStartSucceeds() throws Exception {
        Path data = TestDataDirs.create("sigkill");
        String before;
        try (ServiceProcess first = ServiceProcess.start(data)) {
            assertThat(first.post(Webhooks.read("bank-slip/paid_qr_code.json")).body()).contains("\"applied\"");
            before = awaitSlip(first);
            long postmaster = postmasterPid(data);
            first.process.destroyForcibly(); // SIGKILL
            first.process.waitFor(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    !ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false));
        }
        try (ServiceProcess second = ServiceProcess.start(data)) {
            assertThat(awaitSlip(second)).isEqualTo(before);
            assertThat(second.post(Webhooks.read("bank-slip/registered.json")).body()).contains("\"applied\"");
        }
    }

    private static String awaitSlip(ServiceProcess service) {
        await().atMost(Duration.ofSeconds(15)).until(() ->
                service.get("/api/v1/bank-slips/" + PAID_KEY).statusCode() == 200);
        return service.get("/api/v1/bank-slips/" + PAID_KEY).body();
    }

    private static long postmasterPid(Path data) throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("pgdata/postmaster.pid")).get(0).strip());
    }
}
