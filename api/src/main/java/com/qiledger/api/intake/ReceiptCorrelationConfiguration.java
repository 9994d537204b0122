package com.qiledger.api.intake;

import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Events carry the receipt of the delivery whose command produced them ({@link Receipts#METADATA_KEY}). */
@Configuration(proxyBeanMethods = false)
public class ReceiptCorrelationConfiguration {

    @Bean
    public CorrelationDataProvider receiptCorrelation() {
        return new SimpleCorrelationDataProvider(Receipts.METADATA_KEY);
    }
}
