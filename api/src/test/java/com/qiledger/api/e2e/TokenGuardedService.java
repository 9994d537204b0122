package com.qiledger.api.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The service with a bearer token per role; the classes extending this share one running service. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@AutoConfigureObservability(tracing = false)
abstract class TokenGuardedService extends WebhookClient {

    static final String AUDITOR = "auditor-5c1e8b3f7a9d2e46";
    static final String FINANCE = "finance-0e7a4c2b9f6d1a83";
    static final String OPERATOR = "operator-8b2f6e1c4a7d9035";

    static final Path DATA = TestDataDirs.create("e2e-security");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA::toString);
        registry.add("ledger.security.tokens.auditor", () -> AUDITOR);
        registry.add("ledger.security.tokens.finance", () -> FINANCE);
        registry.add("ledger.security.tokens.operator", () -> OPERATOR);
    }

    /**
     * One connection per request. reactor-netty 1.2.18 can stop reading a keep-alive connection
     * when a request answered off the event loop is followed by one answered at once (a 401/403
     * here, a 400 or an unknown-entity 404 elsewhere): the request after that waits forever
     * (reactor/reactor-netty#4361). These tests alternate exactly so; they check access, not
     * connection reuse.
     */
    @BeforeEach
    void oneConnectionPerRequest() {
        web = web.mutate().defaultHeader(HttpHeaders.CONNECTION, "close").build();
    }
}
