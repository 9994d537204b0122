package com.qiledger.api.intake;

import com.qiledger.command.messages.common.LedgerMetaData;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Events carry the receipt of the delivery whose command produced them ({@link LedgerMetaData#RECEIPT_ID}). */
@Configuration(proxyBeanMethods = false)
public class ReceiptCorrelationConfiguration {

    @Bean
    public CorrelationDataProvider receiptCorrelation() {
        return new SimpleCorrelationDataProvider(LedgerMetaData.RECEIPT_ID);
    }
}
