package com.qiledger.api;

import com.qiledger.api.audit.VerifyCommand;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication(scanBasePackages = "com.qiledger")
@ConfigurationPropertiesScan
public class LedgerApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("verify")) {
            // the offline verifier (issue 21): no Spring context, no HTTP server, no write
            quietLogs();
            System.exit(VerifyCommand.run(args, System.out, System.err));
        }
        UpdateCheckerOff.apply();
        SpringApplication.run(LedgerApplication.class, args);
    }

    private static void quietLogs() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
