package com.qiledger.api.e2e;

import java.time.Duration;
import org.springframework.boot.test.web.reactive.server.WebTestClientBuilderCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * WebTestClient's default 5 s response timeout turns a busy shared build machine into failed
 * tests; the service's own deadlines (8 s intake, 5 s query wait) are what the tests check, so the
 * client waits longer than any of them. Picked up by the application's component scan in tests only.
 */
@Component
class PatientWebTestClient implements WebTestClientBuilderCustomizer {

    @Override
    public void customize(WebTestClient.Builder builder) {
        builder.responseTimeout(Duration.ofSeconds(30));
    }
}
