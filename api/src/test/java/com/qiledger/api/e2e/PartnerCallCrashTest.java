package com.qiledger.api.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.qiledger.api.provider.ProviderClient;
import com.qiledger.api.provider.ProviderStub;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: the service dies (SIGKILL) after sending a partner call and before recording the answer.
 * The next start sends it again with the same request id, so the provider can tell it is a repeat;
 * the call ends accepted once, and its attempts say what happened: the first lost to the crash, the
 * second answered.
 */
class PartnerCallCrashTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aCrashBetweenSendingAndRecordingIsResentOnceWithTheSameRequestIdAfterTheRestart() throws Exception {
        Path data = TestDataDirs.create("partner-call-crash");
        try (ProviderStub provider = new ProviderStub()) {
            List<String> settings = List.of(
                    "--ledger.provider.base-url=" + provider.baseUrl(),
                    "--ledger.provider.client-key=" + ProviderStub.CLIENT_KEY,
                    "--ledger.provider.private-key=" + ProviderStub.keyFile("partner-ec-private.pem"),
                    "--ledger.provider.timeout=5s",
                    "--ledger.provider.poll-interval=100ms");
            String key = UUID.randomUUID().toString();
            String path = "/debt/" + key + "/cancel_permanently";
            // the first attempt is answered too late for a service that is killed meanwhile; the repeat at once
            provider.answerInTurn(path, aResponse().withStatus(200).withFixedDelay(4000).withBody("{\"first\": true}"),
                    aResponse().withStatus(200).withBody("{\"repeat\": true}"));
            String requestId;
            try (ServiceProcess first = ServiceProcess.start(data, settings)) {
                assertThat(first.post(DebtEndToEndTest.variant("canceled_pix_refusal.json", key)).statusCode())
                        .isEqualTo(200);
                HttpResponse<String> asked = first.post("/api/v1/debts/" + key + "/cancel-permanently",
                        "application/json", new byte[0]);
                assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
                requestId = JSON.readTree(asked.body()).get("request_id").asText();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                        .until(() -> provider.requests(path).size() == 1);
                first.process.destroyForcibly(); // SIGKILL while the provider holds the answer
                first.process.waitFor();
            }
            try (ServiceProcess second = ServiceProcess.start(data, settings)) {
                JsonNode call = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> JSON.readTree(second.get("/api/v1/debts/" + key + "/requests/" + requestId)
                                .body()), c -> c.has("state") && "accepted".equals(c.get("state").asText()));
                List<LoggedRequest> sent = provider.requests(path);
                assertThat(sent).hasSize(2).allSatisfy(request -> {
                    assertThat(provider.refusal(request)).isNull();
                    assertThat(request.getHeader(ProviderClient.REQUEST_ID_HEADER)).isEqualTo(requestId);
                });
                assertThat(call.get("attempts").asInt()).isEqualTo(2);
                assertThat(call.get("answer_body").asText()).isEqualTo("{\"repeat\": true}");
                JsonNode log = call.get("attempt_log");
                assertThat(log).hasSize(2);
                assertThat(log.get(0).get("attempt").asInt()).isEqualTo(1);
                assertThat(log.get(0).get("outcome").asText()).isEqualTo("failed");
                assertThat(log.get(0).get("error").asText()).startsWith("no answer recorded");
                assertThat(log.get(1).get("attempt").asInt()).isEqualTo(2);
                assertThat(log.get(1).get("outcome").asText()).isEqualTo("accepted");
                Thread.sleep(500);
                assertThat(provider.requests(path)).hasSize(2);
            }
        }
    }
}
