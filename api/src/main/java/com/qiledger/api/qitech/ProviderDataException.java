package com.qiledger.api.qitech;

/** A delivery that cannot be read or translated; its message is the quarantine reason. */
public class ProviderDataException extends RuntimeException {

    public ProviderDataException(String reason) {
        super(reason);
    }
}
