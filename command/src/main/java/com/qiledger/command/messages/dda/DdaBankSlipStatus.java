package com.qiledger.command.messages.dda;

import java.util.Arrays;
import java.util.Optional;

/** The four statuses of a DDA bank slip ({@code data.status}), named as the provider names them. */
public enum DdaBankSlipStatus {
    REGISTERED("registered"),
    PARTIALLY_PAID("partially_paid"),
    WRITTEN_OFF("written_off"),
    PAID("paid");

    private final String providerName;

    DdaBankSlipStatus(String providerName) {
        this.providerName = providerName;
    }

    public String providerName() {
        return providerName;
    }

    public static Optional<DdaBankSlipStatus> fromProvider(String name) {
        return Arrays.stream(values()).filter(s -> s.providerName.equals(name)).findFirst();
    }
}
