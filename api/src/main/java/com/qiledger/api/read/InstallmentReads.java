package com.qiledger.api.read;

import com.qiledger.query.installment.FindInstallment;
import com.qiledger.query.installment.InstallmentView;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code GET /api/v1/installments/{installment_key}}. A debt's installments are listed through the
 * {@code FindInstallmentsOfDebt} query, for the debt read model.
 */
@Configuration(proxyBeanMethods = false)
class InstallmentReads {

    /** The installment projection and every table it reads or writes. */
    static final EntityReader.AsOfScope SCOPE = EntityReader.AsOfScope.of(Set.of("installments"),
            "installment_view", "installment_debt_view", "installment_payment_view", "installment_occurrence_view",
            "installment_billing_view");

    @Bean
    EntityReader installmentReader() {
        return EntityReader.of("installments", "Installment", "installment", FindInstallment::new,
                InstallmentView.class, SCOPE);
    }
}
