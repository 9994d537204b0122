package com.qiledger.api.read;

import com.qiledger.query.conciliation.ConciliationBatchView;
import com.qiledger.query.conciliation.FindConciliationBatch;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code GET /api/v1/conciliation-batches/{key}}. */
@Configuration(proxyBeanMethods = false)
class ConciliationBatchReads {

    @Bean
    EntityReader conciliationBatchReader() {
        return EntityReader.of("conciliation-batches", "ConciliationBatch", "conciliation batch",
                FindConciliationBatch::new, ConciliationBatchView.class,
                EntityReader.AsOfScope.of(Set.of("conciliation-batches"), "conciliation_batch_view"));
    }
}
