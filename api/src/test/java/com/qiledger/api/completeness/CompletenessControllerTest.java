package com.qiledger.api.completeness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.qiledger.api.provider.ProviderClient;
import com.qiledger.api.provider.ProviderProperties;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.scheduler.Schedulers;

/** Without {@code ledger.provider.base-url} the sweep is off and every completeness call says so, naming it. */
class CompletenessControllerTest {

    final ProviderClient unconfigured = new ProviderClient(new ProviderProperties(null, null, null,
            Duration.ofSeconds(10), new ProviderProperties.Retry(5, Duration.ofSeconds(1), Duration.ofMinutes(1)),
            Duration.ofMillis(500)), Clock.systemUTC());
    final WebTestClient web = WebTestClient.bindToController(new CompletenessController(null, null, unconfigured,
            Schedulers.boundedElastic(), Clock.systemUTC(), new ObjectMapper())).build();

    @Test
    void everyCallAnswers503NamingTheMissingSetting() {
        for (WebTestClient.ResponseSpec answer : new WebTestClient.ResponseSpec[] {
                web.get().uri("/api/v1/completeness?from=2026-01-01&to=2026-01-02").exchange(),
                web.get().uri("/api/v1/completeness/sweeps").exchange(),
                web.post().uri("/api/v1/completeness/sweeps").exchange()}) {
            answer.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.setting").isEqualTo("ledger.provider.base-url")
                    .jsonPath("$.detail").value(detail -> org.assertj.core.api.Assertions.assertThat((String) detail)
                            .contains("ledger.provider.base-url"));
        }
    }

    @Test
    void theSweepIsOffWithoutTheSetting() {
        CompletenessSweep sweep = new CompletenessSweep(unconfigured, new SweepProperties(Duration.ofMinutes(15),
                Duration.ofDays(14), Duration.ofDays(1), Duration.ofHours(6), Duration.ofHours(24), Duration.ofHours(24)),
                null, null, null, Clock.systemUTC(), null);
        org.assertj.core.api.Assertions.assertThat(sweep.runOnce()).isEqualTo(CompletenessSweep.Ran.OFF);
    }

    @Test
    void windowsAreCutAtWholeDaysAndNeverWiderThanTheSetting() {
        java.time.Instant from = java.time.Instant.parse("2026-11-10T15:30:00Z");
        java.time.Instant to = java.time.Instant.parse("2026-11-30T08:00:00Z");
        var windows = CompletenessSweep.windows(from, to, Duration.ofDays(14));
        org.assertj.core.api.Assertions.assertThat(windows).allSatisfy(w -> org.assertj.core.api.Assertions
                .assertThat(Duration.between(w[0], w[1])).isLessThanOrEqualTo(Duration.ofDays(14)));
        org.assertj.core.api.Assertions.assertThat(windows.get(0)[0]).isEqualTo(from);
        org.assertj.core.api.Assertions.assertThat(windows.get(windows.size() - 1)[1]).isEqualTo(to);
        for (int i = 1; i < windows.size(); i++) {
            org.assertj.core.api.Assertions.assertThat(windows.get(i)[0]).isEqualTo(windows.get(i - 1)[1]);
        }
        org.assertj.core.api.Assertions.assertThat(CompletenessSweep.windows(from, to, Duration.ofDays(1)))
                .hasSize(21);
    }

    @Test
    void aWindowWiderThanTheProvidersLimitIsRefusedAtStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SweepProperties(Duration.ofMinutes(15),
                        Duration.ofDays(14), Duration.ofDays(15), Duration.ofHours(6), Duration.ofHours(24),
                        Duration.ofHours(24)))
                .hasMessageContaining("ledger.provider.sweep.window");
    }
}
