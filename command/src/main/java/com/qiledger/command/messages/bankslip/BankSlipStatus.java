package com.qiledger.command.messages.bankslip;

import java.util.Arrays;
import java.util.Optional;

/** The six statuses of {@code bank_slip.status_change}, named as the provider names them. */
public enum BankSlipStatus {
    REGISTERED("registered"),
    REJECTED("rejected"),
    PAYMENT_NOTICE("payment_notice"),
    NOTARY_OFFICE_PAYMENT_NOTICE("notary_office_payment_notice"),
    PAID("paid"),
    WRITTEN_OFF("written_off");

    private final String providerName;

    BankSlipStatus(String providerName) {
        this.providerName = providerName;
    }

    public String providerName() {
        return providerName;
    }

    public static Optional<BankSlipStatus> fromProvider(String name) {
        return Arrays.stream(values()).filter(s -> s.providerName.equals(name)).findFirst();
    }
}
