package com.qiledger.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication(scanBasePackages = "com.qiledger")
@ConfigurationPropertiesScan
public class LedgerApplication {

    public static void main(String[] args) {
        UpdateCheckerOff.apply();
        SpringApplication.run(LedgerApplication.class, args);
    }
}
