package com.qiledger.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The service makes no outbound calls, and AxonIQ's update checker phones home at start-up. It reads
 * only the JVM system property {@code axoniq.update-checker.disabled}, so the property is set by
 * {@code main}, by this post-processor (which runs in every way a Spring application starts,
 * tests included, before any Axon bean exists), and by the build's JVM flags.
 */
public class UpdateCheckerOff implements EnvironmentPostProcessor {

    public static final String PROPERTY = "axoniq.update-checker.disabled";

    public static void apply() {
        System.setProperty(PROPERTY, "true");
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        apply();
    }
}
