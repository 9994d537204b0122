package com.qiledger.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One keep-alive connection alternating answers from the blocking pool (200) with answers produced
 * at once (404, 400): every request is answered. Without {@code KeepAliveGuard} reactor-netty 1.2
 * stops reading such a connection (reactor/reactor-netty#4361) and the provider's next webhook on
 * it would wait until its 10 s timeout.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class KeepAliveEndToEndTest extends WebhookClient {

    static final Path DATA = TestDataDirs.create("e2e-keep-alive");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
    }

    @LocalServerPort
    int port;

    @Test
    void aKeepAliveConnectionAnswersEveryRequestWhateverThreadAnsweredTheOneBefore() throws IOException {
        String receipt = post(Webhooks.read("bank-slip/registered.json")).get("receipt").asText();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            paths.add("/api/v1/receipts/" + receipt);   // answered from the blocking pool
            paths.add("/api/v1/nosuch/x");              // answered at once: unknown entity type
            paths.add("/api/v1/receipts?limit=0");      // answered at once: bad limit
        }
        List<Integer> statuses = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (String path : paths) {
                out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                statuses.add(readResponse(in));
            }
        }
        assertThat(statuses).hasSize(paths.size());
        assertThat(statuses.stream().distinct().sorted()).containsExactly(200, 400, 404);
    }

    /** Reads one HTTP/1.1 response with a Content-Length body or chunked body; returns its status. */
    static int readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        long length = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(header.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (int size = Integer.parseInt(line(in).strip(), 16); size > 0; size = Integer.parseInt(line(in).strip(), 16)) {
                in.readNBytes(size);
                line(in);
            }
            line(in);
        } else if (length > 0) {
            in.readNBytes((int) length);
        }
        return status;
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.US_ASCII);
    }
}
