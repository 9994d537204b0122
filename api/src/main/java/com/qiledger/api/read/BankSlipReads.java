package com.qiledger.api.read;

import com.qiledger.query.bankslip.BankSlipView;
import com.qiledger.query.bankslip.FindBankSlip;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code GET /api/v1/bank-slips/{key}}. */
@Configuration(proxyBeanMethods = false)
class BankSlipReads {

    @Bean
    EntityReader bankSlipReader() {
        return EntityReader.of("bank-slips", "BankSlip", "bank slip", FindBankSlip::new, BankSlipView.class,
                EntityReader.AsOfScope.of(Set.of("bank-slips"), "bank_slip_view"));
    }
}
