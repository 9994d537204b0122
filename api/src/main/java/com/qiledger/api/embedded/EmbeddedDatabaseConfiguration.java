package com.qiledger.api.embedded;

import com.qiledger.api.platform.LedgerProperties;
import com.qiledger.embedded.EmbeddedPostgres;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The embedded default: with no {@code spring.datasource.url}, a real PostgreSQL runs in
 * {@code ledger.data-dir}. The data source depends on the server bean, so Spring closes the pool
 * (after Axon's processors and the web server have stopped) before it stops the server.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoExternalDatabase.class)
public class EmbeddedDatabaseConfiguration {

    @Bean(destroyMethod = "close")
    public EmbeddedPostgres embeddedPostgres(LedgerProperties properties) {
        LedgerProperties.Embedded embedded = properties.embedded();
        var dataDir = properties.dataDir().toAbsolutePath().normalize();
        var binaries = embedded.binariesDir() != null ? embedded.binariesDir().toAbsolutePath().normalize()
                : dataDir.resolve("bin");
        return EmbeddedPostgres.start(EmbeddedPostgres.Settings.of(dataDir)
                .withBinariesDir(binaries)
                .withFsync(embedded.fsync())
                .withStartTimeout(embedded.startTimeout()));
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    public HikariDataSource dataSource(EmbeddedPostgres server) {
        HikariDataSource pool = DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .driverClassName("org.postgresql.Driver")
                .url(server.jdbcUrl())
                .username(server.username())
                .password(server.password())
                .build();
        pool.setPoolName("ledger-embedded");
        return pool;
    }

    /** True when no external database is configured. */
    static class NoExternalDatabase implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
