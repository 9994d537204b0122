package com.qiledger.api.read;

import com.qiledger.query.installment.FindInstallment;
import com.qiledger.query.installment.InstallmentView;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code GET /api/v1/installments/{installment_key}}. A debt's installments are listed through the
 * {@code FindInstallmentsOfDebt} query, for the debt read model.
 */
@Configuration(proxyBeanMethods = false)
class InstallmentReads {

    @Bean
    EntityReader installmentReader() {
        return EntityReader.of("installments", "Installment", "installment", FindInstallment::new,
                InstallmentView.class);
    }
}
