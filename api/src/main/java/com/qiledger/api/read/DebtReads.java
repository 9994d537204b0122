package com.qiledger.api.read;

import com.qiledger.query.debt.DebtView;
import com.qiledger.query.debt.FindDebt;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code GET /api/v1/debts/{key}} and its {@code /history}. The seed's keys are literally
 * {@code <Debt Key>}: clients send them URL-encoded ({@code %3CDebt%20Key%3E}). The debt's
 * installments are another family's; composing them into this answer is left to the read API.
 */
@Configuration(proxyBeanMethods = false)
class DebtReads {

    @Bean
    EntityReader debtReader() {
        return EntityReader.of("debts", "Debt", "debt", FindDebt::new, DebtView.class);
    }
}
