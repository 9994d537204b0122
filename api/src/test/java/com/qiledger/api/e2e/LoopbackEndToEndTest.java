package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.qiledger.api.LedgerApplication;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 26, "open only where it is safe", on the embedded default: without bearer tokens (or with
 * unsigned webhooks) the service listens on loopback only and says so; with tokens and a signature
 * scheme it listens on every interface; an explicit {@code server.address} is honoured. Each case
 * starts the real service; they share one data folder, one after the other.
 */
@ExtendWith(OutputCaptureExtension.class)
class LoopbackEndToEndTest {

    static final Path DATA = TestDataDirs.create("e2e-loopback");
    static final String WARNING = "Listening on the loopback interface (127.0.0.1) only";

    /**
     * Settings as command-line arguments, as a user gives them: default properties
     * ({@code SpringApplicationBuilder.properties}) would lose to application.yml's
     * {@code server.port} and {@code ledger.data-dir}.
     */
    static ConfigurableApplicationContext start(String... extra) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--ledger.data-dir=" + DATA));
        for (String property : extra) {
            arguments.add("--" + property);
        }
        return new SpringApplicationBuilder(LedgerApplication.class)
                .web(WebApplicationType.REACTIVE)
                .profiles("test")
                .run(arguments.toArray(String[]::new));
    }

    static int port(ConfigurableApplicationContext context) {
        return ((ReactiveWebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The address the web server was bound to; null is every interface. */
    static InetAddress boundAddress(ConfigurableApplicationContext context) {
        return context.getBean(NettyReactiveWebServerFactory.class).getAddress();
    }

    /** A local IPv4 address that is not loopback, if this machine has one. */
    static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(nic -> {
                    try {
                        return nic.isUp() && !nic.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress())
                .findFirst();
    }

    static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
        }
    }

    static int health(int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void withoutTokensTheEmbeddedDefaultListensOnLoopbackOnlyAndSaysWhy(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            int port = port(context);
            assertThat(boundAddress(context)).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(health(port)).isEqualTo(200);
            Optional<InetAddress> external = nonLoopbackAddress();
            if (external.isPresent()) {
                assertThatThrownBy(() -> connect(external.get(), port)).isInstanceOf(ConnectException.class);
            }
        }
        String warning = output.getAll().lines().filter(line -> line.contains(WARNING)).findFirst().orElseThrow();
        assertThat(warning).contains("WARN").contains("no bearer token is set")
                .contains("ledger.webhook.auth=none").contains("server.address=0.0.0.0");
    }

    @Test
    void tokensWithUnsignedWebhooksStillListenOnLoopbackOnly(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext context = start(tokens("ledger.webhook.auth=none"))) {
            assertThat(boundAddress(context)).isEqualTo(InetAddress.getByName("127.0.0.1"));
        }
        String warning = output.getAll().lines().filter(line -> line.contains(WARNING)).findFirst().orElseThrow();
        assertThat(warning).contains("ledger.webhook.auth=none").doesNotContain("no bearer token");
    }

    @Test
    void tokensAndASignatureSchemeListenOnEveryInterface(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext context = start(tokens("ledger.webhook.shared-key=hs256-key-4f1c9e"))) {
            int port = port(context);
            assertThat(boundAddress(context)).isNull();
            assertThat(health(port)).isEqualTo(200);
            Optional<InetAddress> external = nonLoopbackAddress();
            if (external.isPresent()) {
                connect(external.get(), port);
            }
        }
        assertThat(output.getAll()).doesNotContain(WARNING);
    }

    @Test
    void anExplicitServerAddressIsHonouredEvenWithoutTokens(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext context = start("server.address=0.0.0.0")) {
            int port = port(context);
            assertThat(boundAddress(context)).isEqualTo(InetAddress.getByName("0.0.0.0"));
            Optional<InetAddress> external = nonLoopbackAddress();
            if (external.isPresent()) {
                connect(external.get(), port);
            }
        }
        assertThat(output.getAll()).doesNotContain(WARNING);
    }

    static String[] tokens(String... extra) {
        List<String> properties = new ArrayList<>(List.of(
                "ledger.security.tokens.auditor=auditor-7d3b1e9a5c2f",
                "ledger.security.tokens.finance=finance-2a8c6e4f1b9d",
                "ledger.security.tokens.operator=operator-9e1f3a7c5d2b"));
        properties.addAll(List.of(extra));
        return properties.toArray(String[]::new);
    }
}
