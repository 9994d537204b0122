package com.qiledger.api.read;

import com.qiledger.command.messages.dda.RecordDdaBankSlipSnapshot;
import com.qiledger.query.dda.DdaBankSlipView;
import com.qiledger.query.dda.FindDdaBankSlip;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code GET /api/v1/dda-bank-slips/{key}}. */
@Configuration(proxyBeanMethods = false)
class DdaBankSlipReads {

    @Bean
    EntityReader ddaBankSlipReader() {
        return EntityReader.of("dda-bank-slips", RecordDdaBankSlipSnapshot.AGGREGATE_TYPE, "DDA bank slip",
                FindDdaBankSlip::new, DdaBankSlipView.class,
                EntityReader.AsOfScope.of(Set.of("dda-bank-slips"), "dda_bank_slip_view", "dda_bank_slip_snapshot"));
    }
}
