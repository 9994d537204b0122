package com.qiledger.api.provider;

/** A call to the provider needs a setting that is not set; {@link #setting()} names it. */
public class ProviderNotConfiguredException extends RuntimeException {

    private final String setting;

    public ProviderNotConfiguredException(String setting) {
        super("calls to the provider need " + setting + ", which is not set");
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
